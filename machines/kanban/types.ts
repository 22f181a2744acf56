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
}

export type ÉvénementKanban =
  | { type: 'COMMENCER'; carteId: string; colonneId: string; index: number }
  | { type: 'SURVOL'; colonneId: string; indexCible: number }
  | { type: 'QUITTER' }
  | { type: 'DÉPOSER' }
  | { type: 'ANNULER' }
  | { type: 'EFFACER_ERREUR' };

export interface EntréeSauvegarderDéplacement {
  carteId: string;
  colonneId: string;
  nouvelIndex: number;
}

/** Addition to the seed: the board to start from (the seed starts from an empty board and has no way to load one). */
export interface EntréeKanban {
  colonnes?: Colonne[];
}
