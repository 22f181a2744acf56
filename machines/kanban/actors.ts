import { fromPromise } from 'xstate';
import type { EntréeSauvegarderDéplacement } from './types';

export interface OptionsActeursKanban {
  /** URL of the move endpoint for a card; the seed's path by default. */
  urlDéplacement?: (carteId: string) => string;
  /** Defaults to the global fetch, looked up at call time. */
  fetch?: typeof fetch;
}

export const urlDéplacementParDéfaut = (carteId: string) => `/api/cartes/${encodeURIComponent(carteId)}/déplacer`;

/** Storefront/board: `machineDragAndDropKanban.provide({ actors: createKanbanActors({ ... }) })`. */
export function createKanbanActors(options: OptionsActeursKanban = {}) {
  const url = options.urlDéplacement ?? urlDéplacementParDéfaut;
  const fetchFn: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  return {
    sauvegarderDéplacement: fromPromise<void, EntréeSauvegarderDéplacement>(async ({ input, signal }) => {
      // The signal aborts the request when the machine gives up (timeout), so a late answer is not applied twice.
      const réponse = await fetchFn(url(input.carteId), {
        method: 'PATCH',
        body: JSON.stringify({ colonneId: input.colonneId, index: input.nouvelIndex }),
        headers: { 'Content-Type': 'application/json' },
        signal,
      });
      if (!réponse.ok) throw new Error(`Erreur ${réponse.status}`);
    }),
  };
}
