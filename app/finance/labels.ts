// Names and formats the finance pages share with the browser. A plain module on purpose: route
// components cannot import runtime values from *.server.ts files (the browser bundle drops them).

/** The saga's wire statuses (temporal/workflows/payment.ts) and the words finance reads. */
export const SAGA_STATUSES = [
  { slug: 'running', wire: 'en_cours', label: 'running' },
  { slug: 'succeeded', wire: 'réussie', label: 'succeeded' },
  { slug: 'compensated', wire: 'compensée', label: 'compensated' },
  { slug: 'compensation_incomplete', wire: 'compensation_incomplète', label: 'compensation incomplete' },
  { slug: 'failed', wire: 'échouée', label: 'failed' },
] as const;
export type SagaStatusSlug = (typeof SAGA_STATUSES)[number]['slug'];

export const statusLabel = (wire: string) => SAGA_STATUSES.find((s) => s.wire === wire)?.label ?? wire;
export const statusSlug = (wire: string) => SAGA_STATUSES.find((s) => s.wire === wire)?.slug ?? 'unknown';

/** Badge classes of app/styles.css, by saga status. */
export const STATUS_BADGE: Record<string, string> = {
  en_cours: 'running',
  réussie: 'completed',
  compensée: 'canceled',
  compensation_incomplète: 'failed',
  échouée: 'failed',
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

/** Integer cents as euros, French style ("1 234,50 €"). Display only: amounts stay cents everywhere else. */
export function formatEuros(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')} €`;
}

/** Integer cents as an input's value ("1234,50"), without floating point. */
export const inputEuros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

/**
 * Euros typed by a person ("12", "12.5", "12,50", "1 234,56") as integer cents, without floating
 * point; null when it is not an amount with at most two decimals.
 */
export function parseEuros(input: string): number | null {
  const s = input.replace(/[\s\u00a0\u202f€]/g, '');
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** ISO time as "YYYY-MM-DD HH:MM:SS UTC": the same text on the server and in every browser. */
export function utc(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—';
}
