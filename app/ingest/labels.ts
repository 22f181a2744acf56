// Values shared by the ingestion server code and the console pages (a *.server module is
// not shipped to the browser, so they cannot live there).

export const INGEST_LIMITS = {
  /** Request body, in bytes. */
  maxBodyBytes: 256 * 1024,
  maxEventsPerBatch: 500,
} as const;

/** A checkout in one of these states (or with the `chargement` tag) for longer than the threshold is stuck. */
export const STUCK_STATES = ['traitementPaiement'] as const;
export const STUCK_TAG = 'chargement';
export const DEFAULT_STUCK_SECONDS = 30;

/** The shopper's four steps of seed case 1, from the machine's top-level state. */
export const CHECKOUT_STEPS = ['panier', 'livraison', 'paiement', 'confirmation'] as const;
export type CheckoutStep = (typeof CHECKOUT_STEPS)[number];

const STEP_OF_STATE: Record<string, CheckoutStep> = {
  panier: 'panier',
  livraison: 'livraison',
  validationLivraison: 'livraison',
  paiement: 'paiement',
  traitementPaiement: 'paiement',
  erreurPaiement: 'paiement',
  confirmation: 'confirmation',
};

export function stepOfState(state: string): CheckoutStep | 'inconnu' {
  return STEP_OF_STATE[state] ?? 'inconnu';
}

/** The top-level state of a state value: "paiement", or the single key of { traitementPaiement: {...} }. */
export function topLevelState(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.keys(value)[0] ?? '';
  return '';
}

/** Leaf paths of a state value: "traitementPaiement.paiement.en_cours", one per parallel region. */
export function statePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const here = prefix ? `${prefix}.${k}` : k;
    return v && typeof v === 'object' && Object.keys(v).length === 0 ? [here] : statePaths(v, here);
  });
}

export function isStuckCandidate(state: string, tags: readonly string[]): boolean {
  return (STUCK_STATES as readonly string[]).includes(state) || tags.includes(STUCK_TAG);
}

/** The payment error codes the demo storefront can be told to produce; the first is one a retry may fix. */
export const DEMO_PAYMENT_ERRORS = ['processing_error', 'card_declined_permanently', 'fraud_blocked'] as const;
export type DemoPaymentError = (typeof DEMO_PAYMENT_ERRORS)[number];

/** none; error: HTTP 500, nothing applied; hang: no answer, nothing applied; lost_answer: applied, no answer. */
export const DEMO_SAVE_FAULTS = ['none', 'error', 'hang', 'lost_answer'] as const;
export type DemoSaveFault = (typeof DEMO_SAVE_FAULTS)[number];
