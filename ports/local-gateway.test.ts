// The local payment provider against the real PostgreSQL: Stripe-like idempotency, limits,
// injected faults, listing, and state shared by every instance (every process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '../prisma/db';
import { uid } from '../test-support/ids';
import { clearFaults, injectFault } from './faults';
import { LocalPaymentGateway } from './local-gateway';
import { GatewayError, type GatewayErrorKind } from './payment-gateway';

let db: Db;
let gateway: LocalPaymentGateway;

beforeAll(() => {
  db = createPrismaClient(process.env.DATABASE_URL!);
  gateway = new LocalPaymentGateway(db);
});
afterAll(async () => {
  await db?.$disconnect();
});

const charge = (commandeId: string, amountCents = 10_000, key = `charge-${commandeId}`) =>
  gateway.charge({ idempotencyKey: key, commandeId, acheteurId: 'cus_test', amountCents, description: 'test' });

async function kindOf(promise: Promise<unknown>): Promise<GatewayErrorKind> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GatewayError);
  return (error as GatewayError).kind;
}

describe('LocalPaymentGateway', () => {
  it('answers a repeated idempotency key with the same object, and refuses the key with other parameters', async () => {
    const c = uid('cmd');
    const first = await charge(c);
    expect(first.id).toMatch(/^ch_local_/);
    expect(await charge(c)).toEqual(first);
    expect(await db.providerObject.count({ where: { idempotencyKey: `charge-${c}` } })).toBe(1);
    expect(await kindOf(charge(c, 10_001))).toBe('idempotency_conflict');
  });

  it('keeps its state in PostgreSQL: another instance on another connection sees the same objects', async () => {
    const c = uid('cmd');
    const created = await charge(c);
    const otherDb = createPrismaClient(process.env.DATABASE_URL!);
    try {
      const other = new LocalPaymentGateway(otherDb);
      expect(await other.charge({ idempotencyKey: `charge-${c}`, commandeId: c, acheteurId: 'cus_test', amountCents: 10_000, description: 'test' })).toEqual(created);
    } finally {
      await otherDb.$disconnect();
    }
  });

  it('creates one object for concurrent requests with one key', async () => {
    const c = uid('cmd');
    const results = await Promise.all(Array.from({ length: 8 }, () => charge(c)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await db.providerObject.count({ where: { orderId: c } })).toBe(1);
  });

  it('never refunds or reverses more than what it undoes, and needs a succeeded source', async () => {
    const c = uid('cmd');
    const ch = await charge(c, 10_000);
    const refund = (key: string, amountCents: number) => gateway.refund({ idempotencyKey: key, commandeId: c, chargeId: ch.id, amountCents, reason: 'test' });
    await refund(`${c}-r1`, 6_000);
    await refund(`${c}-r2`, 4_000);
    expect(await kindOf(refund(`${c}-r3`, 1))).toBe('rejected');

    const c2 = uid('cmd');
    const ch2 = await charge(c2, 10_000);
    const tr = await gateway.transfer({ idempotencyKey: `transfert-${c2}`, commandeId: c2, vendeurId: 'acct_1', amountCents: 8_800, sourceChargeId: ch2.id });
    expect(await kindOf(gateway.reverseTransfer({ idempotencyKey: `inv-${c2}`, commandeId: c2, transferId: tr.id, amountCents: 8_801, reason: 'x' }))).toBe('rejected');
    expect((await gateway.reverseTransfer({ idempotencyKey: `inv-${c2}-ok`, commandeId: c2, transferId: tr.id, amountCents: 8_800, reason: 'x' })).id).toMatch(/^trr_local_/);
    expect(await kindOf(gateway.transfer({ idempotencyKey: uid('t'), commandeId: c2, vendeurId: 'acct_1', amountCents: 1, sourceChargeId: 'ch_local_unknown' }))).toBe('rejected');
    expect(await kindOf(charge(uid('cmd'), 0))).toBe('rejected');
    expect(await kindOf(charge(uid('cmd'), 12.5))).toBe('rejected');
  });

  it('declines a card for good when told to, and replays that decline for the same key afterwards', async () => {
    const c = uid('cmd');
    await injectFault(db, { operation: 'charge', mode: 'decline', target: c, times: 1 });
    expect(await kindOf(charge(c))).toBe('card_declined_permanent');
    // The fault is used up, yet the key keeps its answer, as at Stripe.
    expect(await kindOf(charge(c))).toBe('card_declined_permanent');
    expect(await db.providerObject.findUniqueOrThrow({ where: { idempotencyKey: `charge-${c}` } })).toMatchObject({ status: 'failed', errorCode: 'card_declined:stolen_card' });
    // Another key (a new checkout) goes through.
    expect((await charge(c, 10_000, `charge-${c}-bis`)).id).toMatch(/^ch_local_/);
  });

  it('refuses a transfer to an invalid account when told to', async () => {
    const c = uid('cmd');
    const ch = await charge(c);
    await injectFault(db, { operation: 'transfer', mode: 'invalid_account', target: c });
    expect(await kindOf(gateway.transfer({ idempotencyKey: `transfert-${c}`, commandeId: c, vendeurId: 'acct_bad', amountCents: 100, sourceChargeId: ch.id }))).toBe('invalid_account');
  });

  it('times out N times, then answers', async () => {
    const c = uid('cmd');
    const fault = await injectFault(db, { operation: 'charge', mode: 'timeout', target: c, times: 2 });
    expect(await kindOf(charge(c))).toBe('transient');
    expect(await kindOf(charge(c))).toBe('transient');
    expect(await db.providerObject.count({ where: { orderId: c } })).toBe(0);
    expect((await charge(c)).id).toMatch(/^ch_local_/);
    expect(await db.providerFault.findUniqueOrThrow({ where: { id: fault } })).toMatchObject({ hits: 2, remaining: 0 });
  });

  it('performs the call but loses the answer; the retry with the same key gets the same object', async () => {
    const c = uid('cmd');
    await injectFault(db, { operation: 'charge', mode: 'lost_answer', target: `charge-${c}`, times: 1 });
    expect(await kindOf(charge(c))).toBe('transient');
    const [recorded] = await db.providerObject.findMany({ where: { orderId: c } });
    expect(recorded).toBeDefined();
    expect(await charge(c)).toEqual({ id: recorded!.id });
    expect(await db.providerObject.count({ where: { orderId: c } })).toBe(1);
  });

  it('faults armed for one order leave the others alone', async () => {
    const armed = uid('cmd');
    await injectFault(db, { operation: 'charge', mode: 'timeout', target: armed });
    expect((await charge(uid('cmd'))).id).toMatch(/^ch_local_/);
    expect(await kindOf(charge(armed))).toBe('transient');
    expect(await clearFaults(db, armed)).toBe(1);
    expect((await charge(armed)).id).toMatch(/^ch_local_/);
  });

  it('cancels an insurance fee once, whatever the key, and lists only fees still billed', async () => {
    const from = new Date(Date.now() - 1);
    const c = uid('cmd');
    const fee = await gateway.billInsurance({ idempotencyKey: `assurance-${c}`, commandeId: c, amountCents: 90 });
    const kept = await gateway.billInsurance({ idempotencyKey: `assurance-${c}-2`, commandeId: c, amountCents: 50 });
    const cancel = await gateway.cancelInsurance({ idempotencyKey: `annulation-${c}`, commandeId: c, insuranceId: fee.id, reason: 'test' });
    expect(await gateway.cancelInsurance({ idempotencyKey: `annulation-${c}-bis`, commandeId: c, insuranceId: fee.id, reason: 'test' })).toEqual(cancel);
    expect(await kindOf(gateway.cancelInsurance({ idempotencyKey: uid('k'), commandeId: c, insuranceId: 'ii_local_none', reason: 'x' }))).toBe('rejected');
    const listed = await gateway.listInsurance({ from, to: new Date(Date.now() + 1_000) });
    const ours = listed.items.filter((i) => i.commandeId === c);
    expect(ours.map((i) => i.id)).toEqual([kept.id]);
  });

  it('lists in creation order, page by page, with the idempotency keys reconciliation joins on', async () => {
    const from = new Date();
    const c = uid('cmd');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await charge(c, 100 + i, `charge-${c}-${i}`)).id);
    const ch = created[0]!;
    const tr = await gateway.transfer({ idempotencyKey: `transfert-${c}`, commandeId: c, vendeurId: 'acct_1', amountCents: 50, sourceChargeId: ch });
    const rev = await gateway.reverseTransfer({ idempotencyKey: `inversion-${c}`, commandeId: c, transferId: tr.id, amountCents: 50, reason: 'x' });
    const re = await gateway.refund({ idempotencyKey: `remboursement-${c}`, commandeId: c, chargeId: ch, amountCents: 100, reason: 'x' });
    const to = new Date(Date.now() + 1_000);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await gateway.listCharges({ from, to, cursor, limit: 2 });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.filter((i) => i.commandeId === c).map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(created);
    expect(pages).toBeGreaterThanOrEqual(3);

    const charges = await gateway.listCharges({ from, to });
    expect(charges.items.find((i) => i.id === ch)).toMatchObject({ kind: 'charge', status: 'succeeded', amountCents: 100, idempotencyKey: `charge-${c}-0`, commandeId: c, currency: 'eur' });
    const transfers = (await gateway.listTransfers({ from, to })).items.filter((i) => i.commandeId === c);
    expect(transfers.map((i) => [i.kind, i.id, i.sourceId])).toEqual([
      ['transfer', tr.id, ch],
      ['transfer_reversal', rev.id, tr.id],
    ]);
    expect((await gateway.listRefunds({ from, to })).items.filter((i) => i.commandeId === c).map((i) => [i.id, i.sourceId])).toEqual([[re.id, ch]]);
    expect(await kindOf(gateway.listCharges({ from, to, cursor: 'not-a-cursor' }))).toBe('rejected');
  });

  it('emits one Stripe-shaped event per object it made, with the tenant in metadata, page by page; a refused request emits none', async () => {
    const c = uid('CMD-evt');
    const tenantId = uid('t-evt');
    const since = new Date(Date.now() - 1_000);
    const ch = await gateway.charge({ idempotencyKey: `charge-${c}`, tenantId, commandeId: c, acheteurId: 'cus_test', amountCents: 10_000, description: 'test' });
    const tr = await gateway.transfer({ idempotencyKey: `transfert-${c}`, tenantId, commandeId: c, vendeurId: 'acct_v', amountCents: 8_000, sourceChargeId: ch.id });
    const ii = await gateway.billInsurance({ idempotencyKey: `assurance-${c}`, tenantId, commandeId: c, amountCents: 50 });
    const trr = await gateway.reverseTransfer({ idempotencyKey: `inversion-${c}`, tenantId, commandeId: c, transferId: tr.id, amountCents: 8_000, reason: 'r' });
    const iid = await gateway.cancelInsurance({ idempotencyKey: `annulation-${c}`, tenantId, commandeId: c, insuranceId: ii.id, reason: 'r' });
    const re = await gateway.refund({ idempotencyKey: `dashboard-${c}`, commandeId: '', chargeId: ch.id, amountCents: 10_000, reason: 'dashboard' });
    expect(await kindOf(gateway.refund({ idempotencyKey: `again-${c}`, commandeId: c, chargeId: ch.id, amountCents: 1, reason: 'r' }))).toBe('rejected');

    const events = [];
    let cursor: string | undefined;
    do {
      const page = await gateway.listEvents({ since, cursor, limit: 2 });
      events.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Objects made within the same millisecond list in id order: compare by type.
    const byType = new Map(events.filter((e) => [ch.id, tr.id, ii.id, re.id].includes(String(e.data.object.id))).map((e) => [e.type, e]));
    expect([...byType.keys()].sort()).toEqual(['charge.succeeded', 'invoiceitem.created', 'invoiceitem.deleted', 'refund.created', 'transfer.created', 'transfer.reversed']);
    expect(events.filter((e) => [ch.id, tr.id, ii.id, re.id].includes(String(e.data.object.id)))).toHaveLength(6);
    expect([...byType.values()].map((e) => [e.type, e.id, e.data.object.id]).sort()).toEqual([
      ['charge.succeeded', `evt_${ch.id}`, ch.id], ['invoiceitem.created', `evt_${ii.id}`, ii.id], ['invoiceitem.deleted', `evt_${iid.id}`, ii.id],
      ['refund.created', `evt_${re.id}`, re.id], ['transfer.created', `evt_${tr.id}`, tr.id], ['transfer.reversed', `evt_${trr.id}`, tr.id],
    ]);
    expect(byType.get('charge.succeeded')).toMatchObject({ object: 'event', livemode: false, created: expect.any(Number), data: { object: { object: 'charge', amount: 10_000, currency: 'eur', status: 'succeeded', metadata: { tenantId, commandeId: c, idempotencyKey: `charge-${c}` } } } });
    expect(byType.get('transfer.reversed')!.data.object).toMatchObject({ object: 'transfer', amount_reversed: 8_000, reversals: { data: [{ id: trr.id, amount: 8_000, object: 'transfer_reversal' }] } });
    expect(byType.get('invoiceitem.deleted')!.data.object).toEqual({ id: ii.id, object: 'invoiceitem', deleted: true });
    // Made outside Vigie: no tenant, no order; only the charge it draws on.
    const dashboard = byType.get('refund.created')!.data.object;
    expect(dashboard).toMatchObject({ object: 'refund', charge: ch.id, amount: 10_000, metadata: { idempotencyKey: `dashboard-${c}` } });
    expect(dashboard.metadata).not.toHaveProperty('tenantId');
  });

  it('starts a trial once per key', async () => {
    const key = `${uid('onboarding')}:trial`;
    const req = { idempotencyKey: key, utilisateurId: 'u1', email: 'u1@example.test', planId: 'essai', trialDays: 14 };
    const first = await gateway.startTrial(req);
    expect(first.id).toMatch(/^sub_local_/);
    expect(await gateway.startTrial(req)).toEqual(first);
  });
});
