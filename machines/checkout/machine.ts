import { and, assign, setup } from 'xstate';
import { nouvelleCléIdempotence } from '../idempotence';
import { CODE_ERREUR_RÉSEAU, createCheckoutActors, MESSAGE_PAIEMENT_SANS_RÉPONSE } from './actors';
import type {
  AdresseLivraison,
  Article,
  ContextCheckout,
  ÉvénementCheckout,
  MéthodeExpédition,
  TagCheckout,
} from './types';

/** Bump on any change that makes an older persisted snapshot meaningless (states, context shape). */
export const CHECKOUT_MACHINE_VERSION = '1.1.0';

export const MAX_TENTATIVES_PAIEMENT = 3;

/** Error codes a retry cannot fix. */
export const ERREURS_PAIEMENT_DÉFINITIVES: readonly string[] = ['card_declined_permanently', 'fraud_blocked'];

/**
 * Named delay `délaiValidationLivraison`: a delivery check with no answer by then sends the shopper back
 * to livraison (erreurLivraison `erreur_réseau`). A read with no effect, retried by confirming again:
 * the board's save delay. Override with `provide({ delays })`.
 */
export const DÉLAI_VALIDATION_LIVRAISON_PAR_DÉFAUT_MS = 10_000;

/**
 * Named delay `délaiPaiement`: a payment with no answer by then is an `erreur_réseau` (outcome unknown,
 * one attempt used). 45 s is seed case 4's startToCloseTimeout for its Stripe charge: the browser waits
 * as long as the charge itself may take, so a slow charge is not declared lost.
 */
export const DÉLAI_PAIEMENT_PAR_DÉFAUT_MS = 45_000;

/** `erreurRéseau` when the delivery check got no answer within `délaiValidationLivraison`. */
export const MESSAGE_LIVRAISON_SANS_RÉPONSE = 'Validation de la livraison sans réponse du serveur';

export const CONTEXTE_CHECKOUT_INITIAL: ContextCheckout = {
  items: [],
  adresseLivraison: null,
  méthodeExpédition: null,
  méthodeId: null,
  tentativesPaiement: 0,
  référenceCommande: null,
  cléIdempotence: null,
  erreurLivraison: null,
  erreurPaiement: null,
  erreurRéseau: null,
};

const acteursParDéfaut = createCheckoutActors();

function mêmeAdresse(a: AdresseLivraison | null, b: AdresseLivraison): boolean {
  return a !== null && (Object.keys(b) as (keyof AdresseLivraison)[]).every((champ) => a[champ] === b[champ]);
}

function ajouter(items: Article[], article: Article): Article[] {
  const existant = items.find((i) => i.produitId === article.produitId);
  if (!existant) return [...items, article];
  return items.map((i) =>
    i.produitId === article.produitId ? { ...i, quantité: i.quantité + article.quantité, prix: article.prix } : i,
  );
}

export const machineCheckout = setup({
  types: {
    context: {} as ContextCheckout,
    events: {} as ÉvénementCheckout,
    tags: {} as TagCheckout,
  },
  actors: {
    validerLivraison: acteursParDéfaut.validerLivraison,
    traiterPaiement: acteursParDéfaut.traiterPaiement,
  },
  delays: {
    délaiValidationLivraison: DÉLAI_VALIDATION_LIVRAISON_PAR_DÉFAUT_MS,
    délaiPaiement: DÉLAI_PAIEMENT_PAR_DÉFAUT_MS,
  },
  guards: {
    articleValide: (_, article: Article) =>
      article.produitId.length > 0 &&
      Number.isInteger(article.quantité) &&
      article.quantité > 0 &&
      Number.isFinite(article.prix) &&
      article.prix >= 0,
    panierNonVide: ({ context }) => context.items.length > 0,
    livraisonRemplie: ({ context }) => context.adresseLivraison !== null && context.méthodeExpédition !== null,
    peutRéessayerPaiement: ({ context }) => context.tentativesPaiement < MAX_TENTATIVES_PAIEMENT,
    erreurRecuperable: ({ context }) =>
      context.erreurPaiement !== null && !ERREURS_PAIEMENT_DÉFINITIVES.includes(context.erreurPaiement),
  },
  actions: {
    ajouterArticle: assign({ items: ({ context }, article: Article) => ajouter(context.items, article) }),
    // The context is the only copy of address and method: the livraison step reads it, this overwrites it.
    // Another address or shipping method makes another payment request: an attempt kept for resending ends.
    enregistrerLivraison: assign(({ context }, p: { adresse: AdresseLivraison; méthode: MéthodeExpédition }) => ({
      adresseLivraison: p.adresse,
      méthodeExpédition: p.méthode,
      cléIdempotence:
        mêmeAdresse(context.adresseLivraison, p.adresse) && context.méthodeExpédition === p.méthode ? context.cléIdempotence : null,
      erreurLivraison: null,
      erreurRéseau: null,
    })),
    enregistrerErreurLivraison: assign({ erreurLivraison: (_, p: { message: string }) => p.message }),
    enregistrerLivraisonSansRéponse: assign({ erreurLivraison: CODE_ERREUR_RÉSEAU, erreurRéseau: MESSAGE_LIVRAISON_SANS_RÉPONSE }),
    effacerErreurPaiement: assign({ erreurPaiement: null, erreurRéseau: null }),
    // One key per attempt. The key is still set only after an erreur_réseau (outcome unknown): confirming
    // with the same method then resends that attempt, so a charge that did happen is not made twice.
    commencerTentative: assign(({ context }, p: { méthodeId: string }) => ({
      méthodeId: p.méthodeId,
      cléIdempotence:
        context.cléIdempotence !== null && context.méthodeId === p.méthodeId
          ? context.cléIdempotence
          : nouvelleCléIdempotence('paiement'),
    })),
    oublierTentative: assign({ cléIdempotence: null }),
    enregistrerRéférence: assign({
      référenceCommande: (_, p: { référenceCommande: string }) => p.référenceCommande,
      cléIdempotence: null,
    }),
    // An answer ends the attempt (the next one gets a new key); no answer keeps its key for a resend.
    enregistrerErreurPaiement: assign(({ context }, p: { code: string; message: string }) => ({
      tentativesPaiement: context.tentativesPaiement + 1,
      erreurPaiement: p.code,
      erreurRéseau: p.code === CODE_ERREUR_RÉSEAU ? p.message : null,
      cléIdempotence: p.code === CODE_ERREUR_RÉSEAU ? context.cléIdempotence : null,
    })),
    réinitialiserCommande: assign({
      items: [],
      référenceCommande: null,
      tentativesPaiement: 0,
      cléIdempotence: null,
      méthodeId: null,
      erreurLivraison: null,
      erreurPaiement: null,
      erreurRéseau: null,
    }),
  },
}).createMachine({
  id: 'checkout',
  version: CHECKOUT_MACHINE_VERSION,
  initial: 'panier',
  context: CONTEXTE_CHECKOUT_INITIAL,

  states: {
    panier: {
      tags: ['navigation'],
      on: {
        AJOUTER_ARTICLE: {
          guard: {
            type: 'articleValide',
            params: ({ event }) => ({ produitId: event.produitId, quantité: event.quantité, prix: event.prix }),
          },
          actions: {
            type: 'ajouterArticle',
            params: ({ event }) => ({ produitId: event.produitId, quantité: event.quantité, prix: event.prix }),
          },
        },
        ALLER_LIVRAISON: { guard: 'panierNonVide', target: 'livraison' },
      },
    },

    livraison: {
      tags: ['navigation'],
      on: {
        CONFIRMER_LIVRAISON: {
          target: 'validationLivraison',
          actions: {
            type: 'enregistrerLivraison',
            params: ({ event }) => ({ adresse: event.adresse, méthode: event.méthode }),
          },
        },
      },
    },

    validationLivraison: {
      tags: ['chargement'],
      // No answer is an answer too: the seed's invoke could keep the spinner for ever.
      after: { délaiValidationLivraison: { target: 'livraison', actions: 'enregistrerLivraisonSansRéponse' } },
      invoke: {
        id: 'validerLivraison',
        src: 'validerLivraison',
        input: ({ context }) => ({
          adresse: context.adresseLivraison!,
          méthode: context.méthodeExpédition!,
        }),
        onDone: { target: 'paiement' },
        onError: {
          target: 'livraison',
          actions: {
            type: 'enregistrerErreurLivraison',
            params: ({ event }) => ({
              message: event.error instanceof Error ? event.error.message : String(event.error),
            }),
          },
        },
      },
    },

    paiement: {
      tags: ['navigation'],
      entry: 'effacerErreurPaiement',
      on: {
        CONFIRMER_PAIEMENT: {
          guard: 'livraisonRemplie',
          target: 'traitementPaiement',
          actions: { type: 'commencerTentative', params: ({ event }) => ({ méthodeId: event.méthodeId }) },
        },
        RETOUR_LIVRAISON: 'livraison',
      },
    },

    traitementPaiement: {
      // Being in this state is what disables the button: no CONFIRMER_PAIEMENT is handled here.
      type: 'parallel',
      tags: ['chargement', 'bloquant'],
      states: {
        paiement: {
          initial: 'en_cours',
          states: {
            en_cours: {
              invoke: {
                id: 'traiterPaiement',
                src: 'traiterPaiement',
                input: ({ context }) => ({
                  cléIdempotence: context.cléIdempotence!,
                  méthodeId: context.méthodeId!,
                  items: context.items,
                  adresse: context.adresseLivraison!,
                  méthode: context.méthodeExpédition!,
                }),
                onDone: {
                  target: '#checkout.confirmation',
                  actions: {
                    type: 'enregistrerRéférence',
                    params: ({ event }) => ({ référenceCommande: event.output.référenceCommande }),
                  },
                },
                onError: {
                  target: '#checkout.erreurPaiement',
                  actions: {
                    type: 'enregistrerErreurPaiement',
                    params: ({ event }) => {
                      const erreur = event.error as Partial<Error & { code: unknown }> | undefined;
                      return {
                        code: typeof erreur?.code === 'string' ? erreur.code : 'erreur_inconnue',
                        message: typeof erreur?.message === 'string' ? erreur.message : String(event.error),
                      };
                    },
                  },
                },
              },
              // Same outcome as a request that failed on the way: unknown, so the attempt keeps its key.
              after: {
                délaiPaiement: {
                  target: '#checkout.erreurPaiement',
                  actions: {
                    type: 'enregistrerErreurPaiement',
                    params: { code: CODE_ERREUR_RÉSEAU, message: MESSAGE_PAIEMENT_SANS_RÉPONSE },
                  },
                },
              },
            },
          },
        },
        // UI-only region: runs beside the payment and never blocks it.
        animation: {
          initial: 'tournant',
          states: {
            tournant: { after: { 500: 'pulsation' } },
            pulsation: { after: { 300: 'tournant' } },
          },
        },
      },
    },

    erreurPaiement: {
      tags: ['erreur'],
      on: {
        RÉESSAYER_PAIEMENT: {
          guard: and(['peutRéessayerPaiement', 'erreurRecuperable']),
          target: 'paiement',
        },
        // Capped too, or going back to paiement would be a way around the retry limit.
        // Another method is another attempt: a key kept after erreur_réseau is dropped.
        RETOUR_PAIEMENT: { guard: 'peutRéessayerPaiement', target: 'paiement', actions: 'oublierTentative' },
      },
    },

    confirmation: {
      tags: ['terminal', 'succès'],
      on: { NOUVELLE_COMMANDE: { target: 'panier', actions: 'réinitialiserCommande' } },
    },
  },
});
