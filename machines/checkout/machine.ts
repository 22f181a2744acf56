import { and, assign, setup } from 'xstate';
import { CODE_ERREUR_RÉSEAU, createCheckoutActors } from './actors';
import type {
  AdresseLivraison,
  Article,
  ContextCheckout,
  ÉvénementCheckout,
  MéthodeExpédition,
  TagCheckout,
} from './types';

/** Bump on any change that makes an older persisted snapshot meaningless (states, context shape). */
export const CHECKOUT_MACHINE_VERSION = '1.0.0';

export const MAX_TENTATIVES_PAIEMENT = 3;

/** Error codes a retry cannot fix. */
export const ERREURS_PAIEMENT_DÉFINITIVES: readonly string[] = ['card_declined_permanently', 'fraud_blocked'];

export const CONTEXTE_CHECKOUT_INITIAL: ContextCheckout = {
  items: [],
  adresseLivraison: null,
  méthodeExpédition: null,
  méthodeId: null,
  tentativesPaiement: 0,
  référenceCommande: null,
  erreurLivraison: null,
  erreurPaiement: null,
  erreurRéseau: null,
};

const acteursParDéfaut = createCheckoutActors();

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
    enregistrerLivraison: assign((_, p: { adresse: AdresseLivraison; méthode: MéthodeExpédition }) => ({
      adresseLivraison: p.adresse,
      méthodeExpédition: p.méthode,
      erreurLivraison: null,
    })),
    enregistrerErreurLivraison: assign({ erreurLivraison: (_, p: { message: string }) => p.message }),
    effacerErreurPaiement: assign({ erreurPaiement: null, erreurRéseau: null }),
    enregistrerMéthodePaiement: assign({ méthodeId: (_, p: { méthodeId: string }) => p.méthodeId }),
    enregistrerRéférence: assign({ référenceCommande: (_, p: { référenceCommande: string }) => p.référenceCommande }),
    enregistrerErreurPaiement: assign(({ context }, p: { code: string; message: string }) => ({
      tentativesPaiement: context.tentativesPaiement + 1,
      erreurPaiement: p.code,
      erreurRéseau: p.code === CODE_ERREUR_RÉSEAU ? p.message : null,
    })),
    réinitialiserCommande: assign({
      items: [],
      référenceCommande: null,
      tentativesPaiement: 0,
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
          actions: { type: 'enregistrerMéthodePaiement', params: ({ event }) => ({ méthodeId: event.méthodeId }) },
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
        RETOUR_PAIEMENT: { guard: 'peutRéessayerPaiement', target: 'paiement' },
      },
    },

    confirmation: {
      tags: ['terminal', 'succès'],
      on: { NOUVELLE_COMMANDE: { target: 'panier', actions: 'réinitialiserCommande' } },
    },
  },
});
