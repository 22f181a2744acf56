// Public API of the seed's machines (checkout, kanban), their persistence and reporting, and the
// console's own button machine. app/ imports machines only from here (eslint no-restricted-imports).

export { EN_TÊTE_IDEMPOTENCE, estCléIdempotence, nouvelleCléIdempotence, type PortéeClé } from './idempotence';

export {
  CHECKOUT_MACHINE_VERSION,
  CONTEXTE_CHECKOUT_INITIAL,
  DÉLAI_PAIEMENT_PAR_DÉFAUT_MS,
  DÉLAI_VALIDATION_LIVRAISON_PAR_DÉFAUT_MS,
  ERREURS_PAIEMENT_DÉFINITIVES,
  MAX_TENTATIVES_PAIEMENT,
  machineCheckout,
  MESSAGE_LIVRAISON_SANS_RÉPONSE,
} from './checkout/machine';
export {
  CODE_ERREUR_RÉSEAU,
  createCheckoutActors,
  ENDPOINTS_CHECKOUT_PAR_DÉFAUT,
  MESSAGE_PAIEMENT_SANS_RÉPONSE,
  type OptionsActeursCheckout,
} from './checkout/actors';
export { paiementBloqué, peutConfirmerPaiement, peutRéessayer, peutRevenirAuPaiement } from './checkout/selectors';
export type * from './checkout/types';

export {
  colonneAccepteCarte,
  DÉLAI_EFFACEMENT_ERREUR_MS,
  DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS,
  DÉLAI_VÉRIFICATION_PAR_DÉFAUT_MS,
  KANBAN_MACHINE_VERSION,
  LIMITE_COLONNE_PAR_DÉFAUT,
  machineDragAndDropKanban,
  MESSAGE_DÉLAI_DÉPASSÉ,
} from './kanban/machine';
export { createKanbanActors, urlDéplacementParDéfaut, urlPositionParDéfaut, type OptionsActeursKanban } from './kanban/actors';
export { déplacerCarteLocalement, positionCarte } from './kanban/deplacerCarteLocalement';
export type * from './kanban/types';

export {
  IncompatibleSnapshotError,
  persistSnapshot,
  restoreActor,
  type IncompatibilityReason,
  type PersistedActorSnapshot,
  type RestoreOptions,
} from './persistence';
export {
  createReporter,
  DEFAULT_REPORTER_OPTIONS,
  minimiserContexteCheckout,
  type BackoffOptions,
  type Detach,
  type Reporter,
  type ReporterOptions,
  type ReporterStats,
} from './reporter';
export type * from './reporter-types';
export { activeStateNodes, InvalidStateValueError } from './state-tree';

export { consoleActionMachine, failureKindOf, type ActionResult, type FailureKind, type SubmitInput } from './console/action';
