// Names and formats the finance pages share with the browser. A plain module on purpose: route
// components cannot import runtime values from *.server.ts files (the browser bundle drops them).
import type { SagaStatus } from '../../finance/saga-status';

/** The saga statuses Vigie stores (finance/saga-status.ts) and the words finance reads. */
export const SAGA_STATUSES = [
  { status: 'running', label: 'running' },
  { status: 'succeeded', label: 'succeeded' },
  { status: 'compensated', label: 'compensated' },
  { status: 'compensation_incomplete', label: 'compensation incomplete' },
  { status: 'failed', label: 'failed' },
] as const satisfies ReadonlyArray<{ status: SagaStatus; label: string }>;

export const statusLabel = (status: string) => SAGA_STATUSES.find((s) => s.status === status)?.label ?? status;

/** Badge classes of app/styles.css, by saga status. */
export const STATUS_BADGE: Record<string, string> = {
  running: 'running',
  succeeded: 'completed',
  compensated: 'canceled',
  compensation_incomplete: 'failed',
  failed: 'failed',
};

export const MISMATCH_LABELS = {
  charged_without_outcome: 'Charged, no saga outcome',
  compensation_incomplete: 'Failed saga not fully compensated',
  refunded_twice: 'Refunded twice',
  transfer_without_charge: 'Transfer without charge',
  amount_differs: 'Amount differs',
  unknown_to_ledger: 'Provider object unknown to the ledger',
  status_differs: 'Ledger and provider disagree on status',
} as const;
export type MismatchKindName = keyof typeof MISMATCH_LABELS;
export const MISMATCH_KIND_NAMES = Object.keys(MISMATCH_LABELS) as MismatchKindName[];

export const COMPENSATION_LABELS: Record<string, string> = {
  rembourserAcheteur: 'Refund the buyer',
  inverserTransfertVendeur: 'Reverse the seller transfer',
  annulerFactureAssurance: 'Cancel the insurance fee',
};

export const STEP_LABELS: Record<string, string> = {
  débiterAcheteur: 'Charge the buyer',
  virerVendeur: 'Pay the seller',
  facturerAssurance: 'Bill the insurance',
};

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_BADGE: Record<string, string> = { open: 'failed', acknowledged: 'canceled', resolved: 'completed' };

// Euros are formatted and parsed once, in finance/euros.ts (shared with the worker and scripts).
export { formatEuros, inputEuros } from '../../finance/euros';

/** One day of the payments charts: computed by sagas.server.ts, drawn by components/charts.tsx. */
export interface ChartDay {
  day: string;
  orders: number;
  volumeCents: number;
  succeededCents: number;
  running: number;
  succeeded: number;
  compensated: number;
  compensation_incomplete: number;
  failed: number;
}
