// Console refunds against the real PostgreSQL and the local payment provider: the limit, the
// same request twice, and requests racing for the same charge.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../prisma/db';
import { clearFaults, injectFault } from '../ports/faults';
import { LocalPaymentGateway } from '../ports/local-gateway';
import { uid } from '../test-support/ids';
import { readChargePosition } from './charge-position';
import { FinanceRefusal } from './errors';
import { writeOrder } from './fixtures';
import { consoleRefundKey, refundCharge, retryPendingRefund, type RefundRequestInput } from './refunds';

const db = createPrismaClient(process.env.DATABASE_URL!, { max: 8 });
const gateway = new LocalPaymentGateway(db);
afterAll(() => db.$disconnect());

const tenantId = uid('t-refund');
const actor = { id: randomUUID(), email: 'finance@test.vigie' };

async function paidOrder(totalCents = 18_000, status: 'succeeded' | 'running' | 'compensated' = 'succeeded') {
  const orderId = uid('CMR');
  const steps = status === 'compensated'
    ? [{ kind: 'charge' as const }, { kind: 'transfer' as const, ledger: 'failed' as const }, { kind: 'refund' as const }]
    : [{ kind: 'charge' as const }, { kind: 'transfer' as const }, { kind: 'insurance' as const }];
  const { ids } = await writeOrder(db, gateway, { tenantId, orderId, totalCents, status, at: new Date(), steps });
  return { orderId, chargeId: ids.charge! };
}

const ask = (orderId: string, amountCents: number, requestKey = randomUUID()): RefundRequestInput => ({ tenantId, orderId, amountCents, reason: 'damaged parcel', requestKey, actor });
const providerRefunds = (chargeId: string) => db.providerObject.findMany({ where: { kind: 'refund', sourceId: chargeId, status: 'succeeded' } });

async function refusal(p: Promise<unknown>): Promise<FinanceRefusal> {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FinanceRefusal);
  return error as FinanceRefusal;
}

describe('refundCharge', () => {
  it('refunds in part, then up to what is left, and refuses one cent more with the figures', async () => {
    const { orderId, chargeId } = await paidOrder(18_000);
    const first = await refundCharge(db, gateway, ask(orderId, 5_000));
    expect(first).toMatchObject({ amountCents: 5_000, replayed: false, message: expect.stringContaining('50,00 €') });
    await refundCharge(db, gateway, ask(orderId, 13_000));
    const over = await refusal(refundCharge(db, gateway, ask(orderId, 1)));
    expect(over.status).toBe(409);
    expect(over.message).toBe(`Refund of 0,01 € refused: only 0,00 € remain refundable on charge ${chargeId} (captured 180,00 €, refunded 180,00 €, pending 0,00 €).`);
    expect((await providerRefunds(chargeId)).map((r) => r.amountCents).sort()).toEqual([13_000, 5_000].sort());
    expect(await readChargePosition(db, tenantId, orderId)).toMatchObject({ capturedCents: 18_000, refundedCents: 18_000, pendingCents: 0, remainingCents: 0 });
    const ledger = await db.ledgerEntry.findMany({ where: { orderId, kind: 'refund' }, orderBy: { id: 'asc' } });
    expect(ledger.map((l) => [l.status, l.amountCents, l.relatedProviderId])).toEqual([['succeeded', 5_000, chargeId], ['succeeded', 13_000, chargeId]]);
    const rows = await db.paymentRefund.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.status, r.reason, r.requestedByEmail])).toEqual([['succeeded', 'damaged parcel', actor.email], ['succeeded', 'damaged parcel', actor.email]]);
  });

  it('counts the saga’s own refund compensation: a compensated order has nothing left', async () => {
    const { orderId } = await paidOrder(24_550, 'compensated');
    const error = await refusal(refundCharge(db, gateway, ask(orderId, 100)));
    expect(error.message).toContain('only 0,00 € remain');
  });

  it('refunds once for the same request sent twice, one after the other or at the same time', async () => {
    const { orderId, chargeId } = await paidOrder(18_000);
    const key = randomUUID();
    const first = await refundCharge(db, gateway, ask(orderId, 4_000, key));
    const again = await refundCharge(db, gateway, ask(orderId, 4_000, key));
    expect(again).toMatchObject({ replayed: true, refundId: first.refundId, providerRefundId: first.providerRefundId });
    expect(await providerRefunds(chargeId)).toHaveLength(1);

    const twin = randomUUID();
    const both = await Promise.all([refundCharge(db, gateway, ask(orderId, 6_000, twin)), refundCharge(db, gateway, ask(orderId, 6_000, twin))]);
    expect(new Set(both.map((b) => b.providerRefundId)).size).toBe(1);
    expect(both.map((b) => b.replayed).sort()).toEqual([false, true]);
    expect((await providerRefunds(chargeId)).map((r) => r.amountCents).sort()).toEqual([4_000, 6_000].sort());
    expect(await db.providerObject.findUnique({ where: { idempotencyKey: consoleRefundKey(orderId, twin) } })).toMatchObject({ amountCents: 6_000 });
  });

  it('lets one of two different requests through when together they exceed what is left, even while the first is at the provider', async () => {
    const { orderId, chargeId } = await paidOrder(18_000);
    // The first refund to reach the provider is held there for a while: the second must see it as taken.
    await injectFault(db, { operation: 'refund', mode: 'delay', delayMs: 800, times: 1, target: orderId });
    const settled = await Promise.allSettled([refundCharge(db, gateway, ask(orderId, 10_000)), refundCharge(db, gateway, ask(orderId, 10_000))]);
    const ok = settled.filter((s) => s.status === 'fulfilled');
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(FinanceRefusal);
    expect(refused[0].reason.status).toBe(409);
    expect(refused[0].reason.message).toMatch(/^Refund of 100,00 € refused: only 80,00 € remain refundable on charge .* \(captured 180,00 €, refunded (0,00|100,00) €, pending (100,00|0,00) €\)\.$/);
    expect((await providerRefunds(chargeId)).map((r) => r.amountCents)).toEqual([10_000]);
    expect(await db.ledgerEntry.count({ where: { orderId, kind: 'refund' } })).toBe(1);
    await clearFaults(db, orderId);
  });

  it('serializes a burst of requests on one charge: exactly what fits is refunded', async () => {
    const { orderId, chargeId } = await paidOrder(10_000);
    const settled = await Promise.allSettled(Array.from({ length: 6 }, () => refundCharge(db, gateway, ask(orderId, 3_000))));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(3);
    expect(settled.filter((s) => s.status === 'rejected').every((s) => (s as PromiseRejectedResult).reason.status === 409)).toBe(true);
    expect((await providerRefunds(chargeId)).reduce((n, r) => n + (r.amountCents ?? 0), 0)).toBe(9_000);
  });

  it('keeps a refund without an answer pending and reserved, and settles it once on retry', async () => {
    const { orderId, chargeId } = await paidOrder(18_000);
    await injectFault(db, { operation: 'refund', mode: 'timeout', times: 1, target: orderId });
    const lost = await refusal(refundCharge(db, gateway, ask(orderId, 15_000)));
    expect(lost.status).toBe(503);
    expect(lost.message).toContain('stays pending and reserved');
    expect(await readChargePosition(db, tenantId, orderId)).toMatchObject({ pendingCents: 15_000, remainingCents: 3_000 });
    expect((await refusal(refundCharge(db, gateway, ask(orderId, 5_000)))).message).toContain('only 30,00 € remain');

    const pending = await db.paymentRefund.findFirstOrThrow({ where: { orderId } });
    expect(pending.status).toBe('pending');
    const settled = await retryPendingRefund(db, gateway, tenantId, pending.id);
    expect(settled).toMatchObject({ amountCents: 15_000, replayed: false });
    expect(await retryPendingRefund(db, gateway, tenantId, pending.id)).toMatchObject({ replayed: true });
    expect(await providerRefunds(chargeId)).toHaveLength(1);
    expect(await db.paymentRefund.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('frees the amount when the provider refuses for good', async () => {
    const { orderId } = await paidOrder(18_000);
    await injectFault(db, { operation: 'refund', mode: 'reject', times: 1, target: orderId });
    const refused = await refusal(refundCharge(db, gateway, ask(orderId, 18_000)));
    expect(refused.message).toContain('The provider refused the refund');
    expect(await readChargePosition(db, tenantId, orderId)).toMatchObject({ pendingCents: 0, remainingCents: 18_000 });
    await expect(refundCharge(db, gateway, ask(orderId, 18_000))).resolves.toMatchObject({ amountCents: 18_000 });
  });

  it('refuses what cannot be refunded, and says why', async () => {
    const running = await paidOrder(18_000, 'running');
    expect((await refusal(refundCharge(db, gateway, ask(running.orderId, 100)))).message).toContain('still running');
    expect((await refusal(refundCharge(db, gateway, ask(uid('CMR-none'), 100)))).status).toBe(404);
    const { orderId } = await paidOrder(18_000);
    expect((await refusal(refundCharge(db, gateway, ask(orderId, 0)))).status).toBe(400);
    expect((await refusal(refundCharge(db, gateway, ask(orderId, 12.5)))).status).toBe(400);
    expect((await refusal(refundCharge(db, gateway, { ...ask(orderId, 100), reason: ' ' }))).status).toBe(400);
    // Another tenant cannot refund this order, even knowing its id.
    expect((await refusal(refundCharge(db, gateway, { ...ask(orderId, 100), tenantId: uid('t-other') }))).status).toBe(404);
    expect(await db.ledgerEntry.count({ where: { orderId, kind: 'refund' } })).toBe(0);
  });
});
