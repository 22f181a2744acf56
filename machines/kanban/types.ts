// Domain types of seed case 3 (TeamBoard kanban). Wire names are the seed's, accents included.

export interface Carte {
  id: string;
  titre: string;
}

export interface Colonne {
  id: string;
  titre: string;
  /** WIP limit. Absent: the default limit (20) applies. null: explicitly unlimited. */
  limite?: number | null;
  cartes: Carte[];
}

export interface ContextKanban {
  colonnes: Colonne[];
  carteGlissée: string | null;
  colonneOriginale: string | null;
  colonneCible: string | null;
  indexOriginal: number | null;
  indexCible: number | null;
  erreurSauvegarde: string | null;
  /**
   * Addition to the seed: the current save's idempotency key (machines/idempotence.ts), made by DÉPOSER.
   * In the context so a restored snapshot resends the same key.
   */
  cléIdempotence: string | null;
}

export type ÉvénementKanban =
  | { type: 'COMMENCER'; carteId: string; colonneId: string; index: number }
  | { type: 'SURVOL'; colonneId: string; indexCible: number }
  | { type: 'QUITTER' }
  | { type: 'DÉPOSER' }
  | { type: 'ANNULER' }
  | { type: 'EFFACER_ERREUR' };

export interface EntréeSauvegarderDéplacement {
  /** Sent as the Idempotency-Key header, not in the body. */
  cléIdempotence: string;
  carteId: string;
  colonneId: string;
  nouvelIndex: number;
}

/** Where a card is: its column and its index in it. */
export interface PositionCarte {
  colonneId: string;
  index: number;
}

/** Addition to the seed: the re-read after a save timed out (lirePositionCarte). */
export interface EntréeLirePositionCarte {
  carteId: string;
}

/** Where the server has the card; null when it has no position for it (it never applied a move of it). */
export type SortieLirePositionCarte = PositionCarte | null;

/** Addition to the seed: the board to start from (the seed starts from an empty board and has no way to load one). */
export interface EntréeKanban {
  colonnes?: Colonne[];
}
