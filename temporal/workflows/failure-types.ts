// ApplicationFailure types shared by activities (which throw them) and workflows (which
// list them as non-retryable and read them). Names are wire names: the console shows them.

/** The issuer refused the card for good (stolen, closed, fraud…): retrying cannot help. */
export const CARTE_DÉCLINÉE_PERMANENTE = 'CarteDéclinéePermanente';
/** A decline that may pass another day; the provider replays it for the same idempotency key, so not retried either. */
export const CARTE_DÉCLINÉE = 'CarteDéclinée';
/** The seller's connected account cannot receive the transfer. */
export const COMPTE_VENDEUR_INVALIDE = 'CompteVendeurInvalide';
/** The provider refused the request itself (unknown object, amount above what can be undone…). */
export const OPÉRATION_REFUSÉE = 'OpérationRefusée';
/** The same idempotency key was used with different parameters: a bug, never retried. */
export const CONFLIT_IDEMPOTENCE = 'ConflitIdempotence';
/** The mail provider refused the message (bad address, suppressed recipient). */
export const EMAIL_REJETÉ = 'EmailRejeté';
/** The payment saga's own final failure, after its compensations ran. */
export const SAGA_PAIEMENT_ÉCHOUÉE = 'SagaPaiementÉchouée';
/** Workflow input that can never succeed (amount not in integer cents…). */
export const ENTRÉE_INVALIDE = 'EntréeInvalide';

/** Answers the provider gave for certain: nothing moved, so nothing is in doubt. */
export const DEFINITE_REFUSALS: readonly string[] = [
  CARTE_DÉCLINÉE_PERMANENTE,
  CARTE_DÉCLINÉE,
  COMPTE_VENDEUR_INVALIDE,
  OPÉRATION_REFUSÉE,
  CONFLIT_IDEMPOTENCE,
];

/**
 * Failures that are outcomes the business expects (a declined card, a refused email, a saga that
 * failed and compensated): the worker logs them as one `info` line with the ids, not as a warning
 * with a stack trace. A refused compensation (OPÉRATION_REFUSÉE) or an idempotency conflict stays a warning.
 */
export const BUSINESS_OUTCOMES: readonly string[] = [CARTE_DÉCLINÉE_PERMANENTE, CARTE_DÉCLINÉE, COMPTE_VENDEUR_INVALIDE, EMAIL_REJETÉ, SAGA_PAIEMENT_ÉCHOUÉE];
