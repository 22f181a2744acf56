// Domain types of seed case 1 (CartFlow checkout). Wire names are the seed's, accents included.

export interface AdresseLivraison {
  prénom: string;
  nom: string;
  ligne1: string;
  ligne2: string;
  ville: string;
  codePostal: string;
  pays: string;
}

export type MéthodeExpédition = 'standard' | 'express' | 'premium';

export interface Article {
  produitId: string;
  quantité: number;
  prix: number;
}

export interface ContextCheckout {
  // Données métier
  items: Article[];
  adresseLivraison: AdresseLivraison | null;
  méthodeExpédition: MéthodeExpédition | null;
  méthodeId: string | null; // Stripe PaymentMethod ID
  tentativesPaiement: number;
  référenceCommande: string | null;
  /**
   * Addition to the seed: the current payment attempt's idempotency key (machines/idempotence.ts),
   * made by CONFIRMER_PAIEMENT. In the context so a restored snapshot resends the same key.
   */
  cléIdempotence: string | null;

  // Erreurs par domaine
  erreurLivraison: string | null;
  erreurPaiement: string | null;
  erreurRéseau: string | null;
}

export type ÉvénementCheckout =
  // Addition to the seed: the seed has no way to fill the cart.
  | { type: 'AJOUTER_ARTICLE'; produitId: string; quantité: number; prix: number }
  | { type: 'ALLER_LIVRAISON' }
  | { type: 'CONFIRMER_LIVRAISON'; adresse: AdresseLivraison; méthode: MéthodeExpédition }
  | { type: 'RETOUR_LIVRAISON' }
  | { type: 'CONFIRMER_PAIEMENT'; méthodeId: string }
  | { type: 'RETOUR_PAIEMENT' }
  | { type: 'RÉESSAYER_PAIEMENT' }
  | { type: 'NOUVELLE_COMMANDE' };

export type TagCheckout = 'navigation' | 'chargement' | 'bloquant' | 'erreur' | 'terminal' | 'succès';

export interface EntréeValiderLivraison {
  adresse: AdresseLivraison;
  méthode: MéthodeExpédition;
}

export interface SortieValiderLivraison {
  fraisLivraison: number;
  délaiEstimé: string;
}

export interface EntréeTraiterPaiement {
  /** Sent as the Idempotency-Key header, not in the body. */
  cléIdempotence: string;
  méthodeId: string;
  items: Article[];
  adresse: AdresseLivraison;
  méthode: MéthodeExpédition;
}

export interface SortieTraiterPaiement {
  référenceCommande: string;
  confirmation: string;
}

/** What traiterPaiement rejects with; `code` feeds `erreurPaiement` and the `erreurRecuperable` guard. */
export interface ErreurPaiement extends Error {
  code: string;
}
