// The payment saga's status as Vigie stores it (payment_sagas.status, finance_incidents.saga_status)
// and the one translation from the workflow's French status (StatutSaga, the wire vocabulary of
// temporal/workflows/payment.contract.ts). The worker's activities translate at the boundary;
// nothing else spells the French values (docs/decisions/050-names-and-boundaries.md).
import type { StatutSaga } from '../temporal/workflows/payment.contract';

export const SAGA_STATUSES = ['running', 'succeeded', 'compensated', 'compensation_incomplete', 'failed'] as const;
export type SagaStatus = (typeof SAGA_STATUSES)[number];

export const sagaStatusFromWire: Record<StatutSaga, SagaStatus> = {
  en_cours: 'running',
  réussie: 'succeeded',
  compensée: 'compensated',
  compensation_incomplète: 'compensation_incomplete',
  échouée: 'failed',
};

/** The stored status of a status the workflow sent; an unknown value fails the activity rather than being stored. */
export function storedSagaStatus(wire: string): SagaStatus {
  if (!Object.hasOwn(sagaStatusFromWire, wire)) throw new Error(`unknown saga status from the workflow: ${JSON.stringify(wire)}`);
  return sagaStatusFromWire[wire as StatutSaga];
}
