// Wire contract between the browser reporter and Vigie's ingestion API: plain types, no runtime code,
// no xstate, so the server can import them and write its zod schema against the same shape.

export type ReporterSource = 'checkout' | 'kanban';

/** An XState state value as JSON: a state name, or one entry per active child/region. */
export type ValeurÉtat = string | { [enfant: string]: ValeurÉtat };

/** The delivery address reduced to what support needs to see: no name, no street. */
export interface AdresseMinimisée {
  ville: string;
  pays: string;
  /** First two characters of the postal code (the département in France). */
  codePostalPréfixe: string;
}

/** The checkout context with personal and payment data removed (no méthodeId, no name or street). */
export interface ContexteCheckoutRapporté {
  items: { produitId: string; quantité: number; prix: number }[];
  adresseLivraison: AdresseMinimisée | null;
  méthodeExpédition: 'standard' | 'express' | 'premium' | null;
  /** Whether a payment method was chosen; its id never leaves the browser through the reporter. */
  méthodePaiementChoisie: boolean;
  tentativesPaiement: number;
  référenceCommande: string | null;
  erreurLivraison: string | null;
  erreurPaiement: string | null;
  erreurRéseau: string | null;
}

interface ÉvénementCommun {
  /** Random UUID given once at enqueue time: a batch sent again carries the same ids, so the server dedupes. */
  eventId: string;
  sessionId: string;
  machineId: string;
  /** The machine's version constant (CHECKOUT_MACHINE_VERSION / KANBAN_MACHINE_VERSION). */
  version: string;
  /** ISO 8601, browser clock. */
  at: string;
}

/** One checkout transition. */
export interface CheckoutTransitionEvent extends ÉvénementCommun {
  source: 'checkout';
  state: ValeurÉtat;
  tags: string[];
  /** Type of the event that caused the transition, e.g. CONFIRMER_PAIEMENT or xstate.error.actor.traiterPaiement. */
  eventType: string;
  context: ContexteCheckoutRapporté;
}

export interface CarteRapportée {
  id: string;
  titre: string;
}

export interface ColonneRapportée {
  id: string;
  titre: string;
  limite?: number | null;
  cartes: CarteRapportée[];
}

/** One entry of the kanban machine into erreurSauvegarde. */
export interface KanbanSaveErrorEvent extends ÉvénementCommun {
  source: 'kanban';
  boardId: string;
  carteId: string;
  colonneOriginale: string;
  colonneCible: string;
  indexCible: number;
  erreur: string;
  /** timeout: no answer within délaiSauvegarde, and the re-read found the move not applied; error: the save failed. */
  kind: 'timeout' | 'error';
  /** The board after the rollback, i.e. as it was before the drag (after a timeout: the card where the server has it). */
  board: ColonneRapportée[];
}

export type ReporterEvent = CheckoutTransitionEvent | KanbanSaveErrorEvent;

/** Body of each POST to the ingestion endpoint. */
export interface ReporterBatch {
  events: ReporterEvent[];
}
