// Reconciliation against the real PostgreSQL and the local payment provider's mirror: one order
// per kind of mismatch, clean orders beside them, another tenant's anomalies, and objects outside
// the period, each of which must be found (or not) for the right reason. The fixtures deliver the
// stand-in's events to the mirror as its webhooks would; objects made here afterwards are
// delivered the same way, or caught up through the gateway port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../prisma/db';
import { LocalPaymentGateway } from '../ports/local-gateway';
import { uid } from '../test-support/ids';
import { writeOrder, type OrderFixture } from './fixtures';
import { MISMATCH_KINDS, reconcile, type ReconcileResult } from './reconcile';
import { SAGA_KEYS } from './saga-keys';
import { catchUp } from './mirror/catch-up';
import { mirrorStandInObjects } from './mirror/from-stand-in';

const db = createPrismaClient(process.env.DATABASE_URL!, { max: 4 });
const gateway = new LocalPaymentGateway(db);
afterAll(() => db.$disconnect());

const tenantId = uid('t-reco');
const otherTenant = uid('t-reco-other');
// The period is the hour around "now"; the orders sit 20 minutes ago.
const now = new Date();
const at = new Date(now.getTime() - 20 * 60_000);
const from = new Date(now.getTime() - 3_600_000);
const to = new Date(now.getTime() + 3_600_000);
const id = (name: string) => uid(`CMT-${name}`);
const happy = (): OrderFixture['steps'] => [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance' }];

const orders = {
  clean: id('clean'),
  cleanCompensated: id('clean-comp'),
  inFlight: id('inflight'),
  charged: id('charged'),
  incomplete: id('incomplete'),
  twice: id('twice'),
  orphanTransfer: id('orphan'),
  amount: id('amount'),
  unknown: id('unknown'),
  missing: id('missing'),
  pendingNothing: id('pending-nothing'),
  insuranceCancelled: id('ins-cancelled'),
  old: id('old'),
  otherTenants: id('other'),
};

let result: ReconcileResult;

beforeAll(async () => {
  const w = (o: Omit<OrderFixture, 'tenantId' | 'at'> & Partial<Pick<OrderFixture, 'tenantId' | 'at'>>) => writeOrder(db, gateway, { tenantId, at, ...o });
  await w({ orderId: orders.clean, totalCents: 18_000, status: 'succeeded', steps: happy() });
  // Transfer refused (no object at the provider), buyer refunded: fully compensated.
  await w({ orderId: orders.cleanCompensated, totalCents: 24_550, status: 'compensated', steps: [{ kind: 'charge' }, { kind: 'transfer', ledger: 'failed' }, { kind: 'refund' }] });
  // Started ten minutes ago, charge in flight: nothing to say yet.
  await w({ orderId: orders.inFlight, totalCents: 5_000, status: 'running', at: new Date(now.getTime() - 10 * 60_000), steps: [{ kind: 'charge', ledger: 'pending', provider: true }] });
  // The answers to the charge were lost: the saga gave up, the provider holds the money.
  await w({ orderId: orders.charged, totalCents: 12_000, status: 'failed', steps: [{ kind: 'charge', ledger: 'pending', provider: true }] });
  // Insurance failed; the reversal of the transfer failed; the buyer was refunded.
  await w({
    orderId: orders.incomplete, totalCents: 18_000, status: 'compensation_incomplete',
    steps: [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance', ledger: 'failed' }, { kind: 'transfer_reversal', ledger: 'failed' }, { kind: 'refund' }],
  });
  // The seed's 340 €: refunded from the console, then again from the dashboard.
  await w({
    orderId: orders.twice, totalCents: 68_000, status: 'succeeded',
    steps: [...happy(), { kind: 'refund', key: `remboursement-console-${orders.twice}-a`, amountCents: 34_000 }, { kind: 'refund', key: `dashboard-${orders.twice}`, amountCents: 34_000, ledger: 'none', provider: true }],
  });
  await w({ orderId: orders.orphanTransfer, totalCents: 9_990, status: 'failed', steps: [{ kind: 'charge', ledger: 'failed' }, { kind: 'transfer', ledger: 'none', provider: 'orphan' }] });
  await w({ orderId: orders.amount, totalCents: 18_000, status: 'succeeded', steps: [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance', providerAmountCents: 95 }] });
  await w({ orderId: orders.unknown, totalCents: 18_000, status: 'succeeded', steps: [...happy(), { kind: 'refund', key: `dashboard-${orders.unknown}`, amountCents: 1_500, ledger: 'none', provider: true }] });
  await w({ orderId: orders.missing, totalCents: 18_000, status: 'succeeded', steps: [{ kind: 'charge' }, { kind: 'transfer', provider: false, ledgerProviderId: 'tr_local_never_made' }, { kind: 'insurance' }] });
  // A charge timed out and the provider never got it: the ledger row must be settled as failed.
  await w({ orderId: orders.pendingNothing, totalCents: 7_000, status: 'failed', steps: [{ kind: 'charge', ledger: 'pending', provider: false }] });
  // Insurance failed and was cancelled after billing: the provider lists no fee, as expected.
  await w({
    orderId: orders.insuranceCancelled, totalCents: 18_000, status: 'compensated',
    steps: [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance' }, { kind: 'insurance_cancel' }, { kind: 'transfer_reversal' }, { kind: 'refund' }],
  });
  // Three days before the period: its anomaly belongs to another period.
  await w({ orderId: orders.old, totalCents: 12_000, status: 'failed', at: new Date(now.getTime() - 3 * 86_400_000), steps: [{ kind: 'charge', ledger: 'pending', provider: true }] });
  // Another tenant's anomaly in the same period, at the same provider.
  await w({ tenantId: otherTenant, orderId: orders.otherTenants, totalCents: 12_000, status: 'failed', steps: [{ kind: 'charge', ledger: 'pending', provider: true }] });

  result = await reconcile(db, gateway, { tenantId, from, to, now });
});

const kindsOf = (orderId: string) => result.mismatches.filter((m) => m.orderId === orderId).map((m) => m.kind).sort();

describe('reconcile', () => {
  it('finds each kind of mismatch on the order that has it, and nothing on clean orders', () => {
    expect(kindsOf(orders.clean)).toEqual([]);
    expect(kindsOf(orders.cleanCompensated)).toEqual([]);
    expect(kindsOf(orders.inFlight)).toEqual([]);
    expect(kindsOf(orders.insuranceCancelled)).toEqual([]);
    expect(kindsOf(orders.charged)).toEqual(['charged_without_outcome']);
    expect(kindsOf(orders.incomplete)).toEqual(['compensation_incomplete']);
    expect(kindsOf(orders.twice)).toEqual(['refunded_twice']);
    expect(kindsOf(orders.orphanTransfer)).toEqual(['transfer_without_charge']);
    expect(kindsOf(orders.amount)).toEqual(['amount_differs']);
    expect(kindsOf(orders.unknown)).toEqual(['unknown_to_ledger']);
    expect(kindsOf(orders.missing)).toEqual(['status_differs']);
    expect(kindsOf(orders.pendingNothing)).toEqual(['status_differs']);
    for (const kind of MISMATCH_KINDS) expect(result.totals[kind].count, kind).toBeGreaterThanOrEqual(1);
    expect(result.mismatches).toHaveLength(Object.values(result.totals).reduce((n, t) => n + t.count, 0));
  });

  it('says how much is at stake, in integer cents, and why', () => {
    const one = (orderId: string) => result.mismatches.find((m) => m.orderId === orderId)!;
    expect(one(orders.charged)).toMatchObject({ atStakeCents: 12_000, providerCents: 12_000, objectKind: 'charge' });
    expect(one(orders.incomplete)).toMatchObject({ atStakeCents: 15_840, subject: orders.incomplete });
    expect(one(orders.incomplete).detail).toContain('seller transfer not reversed 158,40 €');
    expect(one(orders.twice)).toMatchObject({ atStakeCents: 34_000, providerCents: 68_000 });
    expect(one(orders.twice).detail).toContain('not in the ledger');
    expect(one(orders.amount)).toMatchObject({ ledgerCents: 90, providerCents: 95, atStakeCents: 5 });
    expect(one(orders.unknown)).toMatchObject({ atStakeCents: 1_500, objectKind: 'refund' });
    expect(one(orders.missing).detail).toContain('no such object');
    expect(one(orders.pendingNothing).detail).toContain('did not happen');
    for (const m of result.mismatches) {
      expect(Number.isSafeInteger(m.atStakeCents)).toBe(true);
      expect(m.key).toBe(`${m.kind}:${m.subject}`);
    }
  });

  it('leaves out other tenants and other periods', () => {
    expect(kindsOf(orders.otherTenants)).toEqual([]);
    expect(result.stories.has(orders.otherTenants)).toBe(false);
    expect(kindsOf(orders.old)).toEqual([]);
  });

  it('finds the old anomaly in its own period, under the same key', async () => {
    const old = await reconcile(db, gateway, { tenantId, from: new Date(now.getTime() - 4 * 86_400_000), to: new Date(now.getTime() - 2 * 86_400_000), now });
    expect(old.mismatches.map((m) => [m.orderId, m.kind])).toEqual([[orders.old, 'charged_without_outcome']]);
    const other = await reconcile(db, gateway, { tenantId: otherTenant, from, to, now });
    expect(other.mismatches.map((m) => [m.orderId, m.kind])).toEqual([[orders.otherTenants, 'charged_without_outcome']]);
  });

  it('keeps each order’s whole story: ledger rows paired with provider objects', () => {
    const s = result.stories.get(orders.twice)!;
    expect(s.saga?.status).toBe('succeeded');
    expect(s.movements.map((m) => [m.kind, Boolean(m.ledger), Boolean(m.provider)])).toEqual([
      ['charge', true, true], ['transfer', true, true], ['insurance', true, true], ['refund', true, true], ['refund', false, true],
    ]);
    expect(s.chargeNetCents).toBe(0);
  });

  it('gives the same answer from a mirror rebuilt by the catch-up through small provider pages', async () => {
    const ours = Object.values(orders);
    const since = new Date(from.getTime() - 86_400_000);
    // What a listing can bring back: the live objects of the listed window (a deleted fee is listed by no one).
    const deleted = (await db.$queryRaw<Array<{ id: string }>>`
      DELETE FROM mirror_objects WHERE order_id = ANY(${ours}::text[]) AND created_at >= ${since} AND NOT deleted RETURNING id`).map((r) => r.id);
    expect(deleted.length).toBeGreaterThan(20);
    const caught = await catchUp(db, gateway, { mode: 'objects', since, pageSize: 10 });
    expect(caught.pages).toBeGreaterThan(4 * 4);
    expect(await db.mirrorObject.count({ where: { id: { in: deleted } } })).toBe(deleted.length);
    const rebuilt = await reconcile(db, gateway, { tenantId, from, to, now, mirrorMaxAgeMs: 3_600_000 });
    // The same mismatches; their order may differ within a second (the stand-in lists times to the
    // millisecond, its events carry Stripe's whole seconds).
    expect(rebuilt.mismatches.map((m) => m.key).sort()).toEqual(result.mismatches.map((m) => m.key).sort());
  });

  it('catches up by events what no webhook delivered: a refund made at the provider shows up', async () => {
    const late = id('missed');
    const made = await writeOrder(db, gateway, { tenantId, orderId: late, totalCents: 18_000, status: 'succeeded', at, steps: happy() });
    // Made at the provider's dashboard while the endpoint was down: no webhook reached Vigie.
    const refund = await gateway.refund({ idempotencyKey: `dashboard-${late}`, commandeId: '', chargeId: made.ids.charge!, amountCents: 2_500, reason: 'dashboard' });
    await db.$executeRaw`UPDATE provider_objects SET webhook_delivered_at = now() WHERE id = ${refund.id}`;
    const before = await reconcile(db, gateway, { tenantId, from, to, now, mirrorMaxAgeMs: 3_600_000 });
    expect(before.mismatches.filter((m) => m.orderId === late)).toEqual([]);
    const caught = await catchUp(db, gateway, { mode: 'events', since: new Date(Date.now() - 60_000), pageSize: 10 });
    expect(caught.mode).toBe('events');
    expect(await db.mirrorEvent.findUnique({ where: { id: `evt_${refund.id}` }, select: { via: true, processedAt: true } })).toMatchObject({ via: 'catch_up', processedAt: expect.any(Date) });
    const after = await reconcile(db, gateway, { tenantId, from, to, now: new Date(), mirrorMaxAgeMs: 3_600_000 });
    expect(after.mismatches.filter((m) => m.orderId === late).map((m) => [m.kind, m.subject, m.atStakeCents])).toEqual([['unknown_to_ledger', refund.id, 2_500]]);
    // It names no order and no tenant: it is ours through the charge it refunds, and nobody else's.
    expect(await db.mirrorObject.findUnique({ where: { id: refund.id }, select: { tenantId: true, orderId: true } })).toEqual({ tenantId, orderId: null });
    const other = await reconcile(db, gateway, { tenantId: otherTenant, from, to, now: new Date(), mirrorMaxAgeMs: 3_600_000 });
    expect(other.mismatches.some((m) => m.subject === refund.id)).toBe(false);
  });

  it('pairs a compensation retried today with its ledger row written ten days ago, trusting the old rows it cannot see', async () => {
    const late = id('late');
    const tenDaysAgo = new Date(now.getTime() - 10 * 86_400_000);
    await writeOrder(db, gateway, {
      tenantId, orderId: late, totalCents: 18_000, status: 'compensation_incomplete', at: tenDaysAgo,
      steps: [{ kind: 'charge' }, { kind: 'transfer', ledger: 'failed' }, { kind: 'refund', ledger: 'failed' }],
    });
    // The retry: the same ledger row settles now, the provider makes the refund now.
    const charge = await db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: SAGA_KEYS.charge(late) } });
    const refund = await gateway.refund({ idempotencyKey: SAGA_KEYS.refund(late), commandeId: late, chargeId: charge.providerId!, amountCents: 18_000, reason: 'retry' });
    await db.ledgerEntry.update({ where: { idempotencyKey: SAGA_KEYS.refund(late) }, data: { status: 'succeeded', providerId: refund.id, updatedAt: new Date() } });
    await mirrorStandInObjects(db, [refund.id]);
    const r = await reconcile(db, gateway, { tenantId, from, to, now });
    expect(r.mismatches.filter((m) => m.orderId === late)).toEqual([]);
    const s = r.stories.get(late)!;
    expect(s.movements.map((m) => [m.kind, m.ledger?.status, Boolean(m.provider), m.verifiable])).toEqual([
      ['charge', 'succeeded', false, false], ['transfer', 'failed', false, false], ['refund', 'succeeded', true, false],
    ]);
    expect(s.chargeNetCents).toBe(0);
  });

  it('matches a ledger row with its provider object across the period boundary', async () => {
    const edge = id('edge');
    // The ledger row is written just before the period starts; the provider made the charge just after.
    await writeOrder(db, gateway, { tenantId, orderId: edge, totalCents: 4_000, status: 'succeeded', at: new Date(from.getTime() - 1_000), steps: [{ kind: 'charge' }] });
    await db.$executeRaw`UPDATE provider_objects SET created_at = ${new Date(from.getTime() + 1_000)} WHERE idempotency_key = ${SAGA_KEYS.charge(edge)}`;
    // As its webhook would have said, had the provider made it then.
    await db.$executeRaw`UPDATE mirror_objects SET created_at = ${new Date(from.getTime() + 1_000)} WHERE idempotency_key = ${SAGA_KEYS.charge(edge)}`;
    const r = await reconcile(db, gateway, { tenantId, from, to, now });
    expect(r.mismatches.filter((m) => m.orderId === edge)).toEqual([]);
    expect(r.stories.get(edge)?.movements[0]).toMatchObject({ ledger: expect.any(Object), provider: expect.any(Object) });
  });
});
