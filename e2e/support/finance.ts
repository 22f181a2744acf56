// Payment sagas for the finance e2e specs, run for real by the test worker (PAYMENT_GATEWAY=local,
// TEMPORAL_TASK_QUEUE from the environment), with faults armed in the local provider first.
import { createTemporalClient } from '../../temporal/config';
import { injectFault, type FaultSpec } from '../../ports/faults';
import { startPaymentSaga } from '../../temporal/starters';
import { queryJournalSaga, type JournalSaga } from '../../temporal/workflows/payment.contract';
import { testDb, uid } from '../../test-support/factories';

export interface SagaRun {
  commandeId: string;
  workflowId: string;
  journal: JournalSaga;
}

/** Runs a saga to its end (success or failure) and returns its journal. */
export async function runSaga(tenantId: string, montantTotal: number, faults: Array<Omit<FaultSpec, 'target'>> = []): Promise<SagaRun> {
  const commandeId = uid('CME');
  for (const f of faults) await injectFault(testDb(), { ...f, target: commandeId });
  const client = await createTemporalClient();
  try {
    const handle = await startPaymentSaga(client, { tenantId, commandeId, acheteurId: uid('acheteur'), vendeurId: uid('vendeur'), montantTotal });
    await handle.result().catch(() => undefined);
    return { commandeId, workflowId: handle.workflowId, journal: await handle.query(queryJournalSaga) };
  } finally {
    await client.connection.close();
  }
}

/** The seller's account is refused at the transfer, and the provider refuses the buyer's refund once. */
export function failedSagaWithFailedRefund(tenantId: string, montantTotal = 18_000) {
  return runSaga(tenantId, montantTotal, [
    { operation: 'transfer', mode: 'invalid_account' },
    { operation: 'refund', mode: 'reject', times: 1 },
  ]);
}

export const providerRefunds = (orderId: string) => testDb().providerObject.findMany({ where: { orderId, kind: 'refund', status: 'succeeded' } });
