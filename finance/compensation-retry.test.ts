// Retrying a failed compensation of a real saga: the payment workflow runs on the real Temporal
// dev server, the local provider refuses its refund compensation once, and finance retries it.
import { deliverProviderWebhooks } from '../test-support/provider-webhooks';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectFault } from '../ports/faults';
import { startPaymentSaga } from '../temporal/starters';
import { uid } from '../test-support/ids';
import { startTestStack, type TestStack } from '../test-support/temporal';
import { queryJournalSaga } from '../temporal/workflows/payment.contract';
import { compensationKey, retryCompensation } from './compensation-retry';
import { FinanceRefusal } from './errors';
import { seedDemoFinanceWorkflows } from '../scripts/lib/demo-finance';
import { reconcile } from './reconcile';
import { refundCharge } from './refunds';

let s: TestStack;
const tenantId = uid('t-retry');
const actor = { id: randomUUID(), email: 'finance@test.vigie' };

beforeAll(async () => {
  s = await startTestStack('finance-retry');
});
afterAll(async () => {
  await s?.close();
});

/** A saga whose transfer fails (invalid seller account) and whose refund compensation is refused once. */
async function failedSaga(refundFault: 'reject' | 'lost_answer' = 'reject') {
  const orderId = uid('CMX');
  await injectFault(s.db, { operation: 'transfer', mode: 'invalid_account', target: orderId });
  await injectFault(s.db, { operation: 'refund', mode: refundFault, target: orderId, times: refundFault === 'reject' ? 1 : null });
  const h = await startPaymentSaga(s.client, { tenantId, commandeId: orderId, acheteurId: uid('cus'), vendeurId: uid('acct'), montantTotal: 18_000 }, { taskQueue: s.taskQueue });
  await h.result().catch(() => undefined);
  const journal = await h.query(queryJournalSaga);
  return { orderId, journal };
}

describe('retryCompensation', () => {
  it('retries a refused buyer refund with the saga’s own key, records it, and leaves nothing to reconcile', async () => {
    const { orderId, journal } = await failedSaga();
    expect(journal.statut).toBe('compensation_incomplète');
    expect(journal.compensations.map((c) => [c.action, c.statut])).toEqual([['rembourserAcheteur', 'échouée']]);
    await deliverProviderWebhooks(s.db);
    const before = await reconcile(s.db, s.worker.deps.payments, { tenantId, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) });
    expect(before.mismatches.filter((m) => m.orderId === orderId).map((m) => m.kind)).toEqual(['compensation_incomplete']);

    const done = await retryCompensation(s.db, s.worker.deps.payments, { tenantId, orderId, action: 'rembourserAcheteur', actor });
    expect(done).toMatchObject({ status: 'succeeded', incidentId: journal.incidentId, message: expect.stringContaining('refund of the buyer succeeded') });
    const refunds = await s.db.providerObject.findMany({ where: { orderId, kind: 'refund' } });
    expect(refunds).toEqual([expect.objectContaining({ id: done.providerId, idempotencyKey: compensationKey('rembourserAcheteur', orderId), amountCents: 18_000, status: 'succeeded' })]);
    expect(await s.db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: compensationKey('rembourserAcheteur', orderId) } })).toMatchObject({ status: 'succeeded', providerId: done.providerId, attempts: 2 });
    expect(await s.db.compensationRetry.findMany({ where: { orderId } })).toEqual([
      expect.objectContaining({ action: 'rembourserAcheteur', status: 'succeeded', providerId: done.providerId, requestedByEmail: actor.email, incidentId: journal.incidentId }),
    ]);
    expect(await s.db.financeIncidentEvent.findMany({ where: { incidentId: journal.incidentId! } })).toEqual([
      expect.objectContaining({ kind: 'retry', body: `rembourserAcheteur retried: succeeded (${done.providerId}).` }),
    ]);

    const again = await retryCompensation(s.db, s.worker.deps.payments, { tenantId, orderId, action: 'rembourserAcheteur', actor }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(FinanceRefusal);
    expect((again as FinanceRefusal).message).toContain('already succeeded');
    await deliverProviderWebhooks(s.db);
    const after = await reconcile(s.db, s.worker.deps.payments, { tenantId, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) });
    expect(after.mismatches.filter((m) => m.orderId === orderId)).toEqual([]);
  });

  it('finds the refund the provider made despite the lost answers, instead of making a second one', async () => {
    const { orderId, journal } = await failedSaga('lost_answer');
    expect(journal.compensations.map((c) => c.statut)).toEqual(['échouée']);
    const made = await s.db.providerObject.findMany({ where: { orderId, kind: 'refund' } });
    expect(made).toHaveLength(1);
    await s.db.providerFault.deleteMany({ where: { target: orderId } });
    const done = await retryCompensation(s.db, s.worker.deps.payments, { tenantId, orderId, action: 'rembourserAcheteur', actor });
    expect(done.providerId).toBe(made[0]!.id);
    expect(await s.db.providerObject.count({ where: { orderId, kind: 'refund' } })).toBe(1);
  });

  it('refuses a retry that would refund more than finance left on the charge', async () => {
    const { orderId } = await failedSaga();
    await refundCharge(s.db, s.worker.deps.payments, { tenantId, orderId, amountCents: 5_000, reason: 'goodwill', requestKey: randomUUID(), actor });
    const error = await retryCompensation(s.db, s.worker.deps.payments, { tenantId, orderId, action: 'rembourserAcheteur', actor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinanceRefusal);
    expect((error as FinanceRefusal).message).toContain('only 130,00 € remain');
    expect(await s.db.providerObject.count({ where: { orderId, kind: 'refund', status: 'succeeded' } })).toBe(1);
  });

  it('refuses what there is nothing to retry for, and another tenant’s order', async () => {
    const { orderId } = await failedSaga();
    const noTransfer = await retryCompensation(s.db, s.worker.deps.payments, { tenantId, orderId, action: 'inverserTransfertVendeur', actor }).catch((e: unknown) => e);
    expect((noTransfer as FinanceRefusal).message).toContain('nothing for a reversal of the seller transfer to undo');
    const foreign = await retryCompensation(s.db, s.worker.deps.payments, { tenantId: uid('t-other'), orderId, action: 'rembourserAcheteur', actor }).catch((e: unknown) => e);
    expect((foreign as FinanceRefusal).status).toBe(404);
    expect(await s.db.compensationRetry.count({ where: { orderId } })).toBe(0);
  });

  it('gives the demo its failing saga: a failed refund compensation and an open incident, which one retry fixes', async () => {
    // Its own order (a workflow id is the namespace's): the demo's CM-2099 belongs to scripts/lib/demo.test.ts.
    const demoOrder = uid('CM-2099');
    const { commandeId: orderId, handle } = await seedDemoFinanceWorkflows(s.db, s.client, { tenantId, taskQueue: s.taskQueue, orderId: demoOrder });
    await handle.result().catch(() => undefined);
    const journal = await handle.query(queryJournalSaga);
    expect(journal.statut).toBe('compensation_incomplète');
    expect(await s.db.financeIncident.findUniqueOrThrow({ where: { id: journal.incidentId! } })).toMatchObject({ status: 'open', severity: 'high' });
    // Run again, as `npm start` does: the same saga, no new fault.
    const again = await seedDemoFinanceWorkflows(s.db, s.client, { tenantId, taskQueue: s.taskQueue, orderId: demoOrder });
    expect((await again.handle.describe()).runId).toBe((await handle.describe()).runId);
    expect(await s.db.providerFault.count({ where: { target: orderId } })).toBe(2);
    await expect(retryCompensation(s.db, s.worker.deps.payments, { tenantId, orderId, action: 'rembourserAcheteur', actor })).resolves.toMatchObject({ status: 'succeeded' });
  });
});
