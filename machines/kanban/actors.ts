import { fromPromise } from 'xstate';
import { EN_TÊTE_IDEMPOTENCE } from '../idempotence';
import type { EntréeLirePositionCarte, EntréeSauvegarderDéplacement, SortieLirePositionCarte } from './types';

export interface OptionsActeursKanban {
  /** URL of the move endpoint for a card (PATCH); the seed's path by default. */
  urlDéplacement?: (carteId: string) => string;
  /** URL that says where the server has a card (GET), read after a save timed out. */
  urlPosition?: (carteId: string) => string;
  /** Defaults to the global fetch, looked up at call time. */
  fetch?: typeof fetch;
}

export const urlDéplacementParDéfaut = (carteId: string) => `/api/cartes/${encodeURIComponent(carteId)}/déplacer`;
export const urlPositionParDéfaut = (carteId: string) => `/api/cartes/${encodeURIComponent(carteId)}/position`;

/** The position answer, `{ position: { colonneId, index } | null }`, checked: anything else is an error. */
function lirePosition(corps: unknown): SortieLirePositionCarte {
  const position = (corps as { position?: unknown } | null)?.position;
  if (position === null) return null;
  const p = position as { colonneId?: unknown; index?: unknown } | undefined;
  if (typeof p?.colonneId === 'string' && Number.isInteger(p.index) && (p.index as number) >= 0) {
    return { colonneId: p.colonneId, index: p.index as number };
  }
  throw new Error('Réponse de position illisible');
}

/** Storefront/board: `machineDragAndDropKanban.provide({ actors: createKanbanActors({ ... }) })`. */
export function createKanbanActors(options: OptionsActeursKanban = {}) {
  const url = options.urlDéplacement ?? urlDéplacementParDéfaut;
  const urlPosition = options.urlPosition ?? urlPositionParDéfaut;
  const fetchFn: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  return {
    sauvegarderDéplacement: fromPromise<void, EntréeSauvegarderDéplacement>(async ({ input, signal }) => {
      // The signal aborts the request when the machine gives up (timeout); the server may still apply it,
      // which is why the machine then reads the card's position back (lirePositionCarte).
      const réponse = await fetchFn(url(input.carteId), {
        method: 'PATCH',
        body: JSON.stringify({ colonneId: input.colonneId, index: input.nouvelIndex }),
        // A resent save (restored snapshot) carries the same key: the server applies it once.
        headers: { 'Content-Type': 'application/json', [EN_TÊTE_IDEMPOTENCE]: input.cléIdempotence },
        signal,
      });
      if (!réponse.ok) throw new Error(`Erreur ${réponse.status}`);
    }),

    lirePositionCarte: fromPromise<SortieLirePositionCarte, EntréeLirePositionCarte>(async ({ input, signal }) => {
      const réponse = await fetchFn(urlPosition(input.carteId), {
        method: 'GET',
        headers: { Accept: 'application/json' },
        cache: 'no-store',
        signal,
      });
      if (!réponse.ok) throw new Error(`Erreur ${réponse.status}`);
      return lirePosition(await réponse.json());
    }),
  };
}
