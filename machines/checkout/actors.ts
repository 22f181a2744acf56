import { fromPromise } from 'xstate';
import { EN_TÊTE_IDEMPOTENCE } from '../idempotence';
import type {
  EntréeTraiterPaiement,
  EntréeValiderLivraison,
  ErreurPaiement,
  SortieTraiterPaiement,
  SortieValiderLivraison,
} from './types';

/** Code put in `erreurPaiement` when the payment request never got an answer (charge status unknown). */
export const CODE_ERREUR_RÉSEAU = 'erreur_réseau';

/** `erreurRéseau` when the payment got no answer: the request failed, or `délaiPaiement` ran out. */
export const MESSAGE_PAIEMENT_SANS_RÉPONSE = 'Paiement sans réponse du serveur';

export interface OptionsActeursCheckout {
  endpoints?: {
    validerLivraison?: string;
    traiterPaiement?: string;
  };
  /** Defaults to the global fetch, looked up at call time so a page can polyfill it late. */
  fetch?: typeof fetch;
}

export const ENDPOINTS_CHECKOUT_PAR_DÉFAUT = {
  validerLivraison: '/api/checkout/livraison/valider',
  traiterPaiement: '/api/checkout/paiement',
} as const;

function erreurPaiement(code: string, message: string, cause?: unknown): ErreurPaiement {
  return Object.assign(new Error(message, { cause }), { code });
}

async function lireErreurJson(réponse: Response): Promise<{ code: string; message: string }> {
  const texte = await réponse.text();
  try {
    const corps = JSON.parse(texte) as { code?: unknown; message?: unknown };
    return {
      code: typeof corps.code === 'string' ? corps.code : `http_${réponse.status}`,
      message: typeof corps.message === 'string' ? corps.message : texte,
    };
  } catch {
    return { code: `http_${réponse.status}`, message: texte };
  }
}

/**
 * The real I/O of the checkout, as the two actors the machine invokes.
 * Storefront: `machineCheckout.provide({ actors: createCheckoutActors({ endpoints, fetch }) })`.
 */
export function createCheckoutActors(options: OptionsActeursCheckout = {}) {
  const endpoints = { ...ENDPOINTS_CHECKOUT_PAR_DÉFAUT, ...options.endpoints };
  const fetchFn: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  return {
    validerLivraison: fromPromise<SortieValiderLivraison, EntréeValiderLivraison>(async ({ input, signal }) => {
      const réponse = await fetchFn(endpoints.validerLivraison, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
        signal,
      });
      if (!réponse.ok) throw new Error(await réponse.text());
      return (await réponse.json()) as SortieValiderLivraison;
    }),

    traiterPaiement: fromPromise<SortieTraiterPaiement, EntréeTraiterPaiement>(async ({ input, signal }) => {
      const { cléIdempotence, ...corps } = input;
      let réponse: Response;
      try {
        réponse = await fetchFn(endpoints.traiterPaiement, {
          method: 'POST',
          // The same key on every resend of this attempt: the endpoint charges once per key.
          headers: { 'Content-Type': 'application/json', [EN_TÊTE_IDEMPOTENCE]: cléIdempotence },
          body: JSON.stringify(corps),
          signal,
        });
      } catch (cause) {
        // The charge may or may not have happened: the UI must say so; a retry resends this key.
        throw erreurPaiement(CODE_ERREUR_RÉSEAU, MESSAGE_PAIEMENT_SANS_RÉPONSE, cause);
      }
      if (!réponse.ok) {
        const { code, message } = await lireErreurJson(réponse);
        throw erreurPaiement(code, message);
      }
      return (await réponse.json()) as SortieTraiterPaiement;
    }),
  };
}
