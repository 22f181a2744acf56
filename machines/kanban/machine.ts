import { assign, setup } from 'xstate';
import { nouvelleCléIdempotence } from '../idempotence';
import { createKanbanActors } from './actors';
import { déplacerCarteLocalement, positionCarte } from './deplacerCarteLocalement';
import type { Colonne, ContextKanban, EntréeKanban, ÉvénementKanban, PositionCarte, SortieLirePositionCarte } from './types';

/** Bump on any change that makes an older persisted snapshot meaningless (states, context shape). */
export const KANBAN_MACHINE_VERSION = '1.1.0';

/** Limit of a column whose `limite` is absent (the seed's hard-coded 20). */
export const LIMITE_COLONNE_PAR_DÉFAUT = 20;

/** A save with no answer after this long is a failure (seed bug: it could stay in sauvegarde forever). */
export const DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS = 10_000;

/**
 * Named delay `délaiVérification`: how long the re-read of the card's position after a save timeout may
 * take before the board rolls back without it. A read with no effect: half the save's delay.
 */
export const DÉLAI_VÉRIFICATION_PAR_DÉFAUT_MS = 5_000;

export const DÉLAI_EFFACEMENT_ERREUR_MS = 3_000;

export const MESSAGE_DÉLAI_DÉPASSÉ = 'Délai de sauvegarde dépassé';

const acteursParDéfaut = createKanbanActors();

/** The server's answer matches where the drop put the card: the save that timed out was applied. */
function mêmePosition(a: PositionCarte | null, b: PositionCarte | null): boolean {
  return a !== null && b !== null && a.colonneId === b.colonneId && a.index === b.index;
}

/**
 * Whether a card being dragged from `colonneOriginale` may be dropped in `colonneId`.
 * A move inside the same column never changes its count, so a full column still accepts its own cards.
 */
export function colonneAccepteCarte(colonnes: Colonne[], colonneOriginale: string | null, colonneId: string): boolean {
  const colonne = colonnes.find((c) => c.id === colonneId);
  if (!colonne) return false;
  if (colonne.id === colonneOriginale) return true;
  const limite = colonne.limite === undefined ? LIMITE_COLONNE_PAR_DÉFAUT : colonne.limite;
  return limite === null || colonne.cartes.length < limite;
}

export const machineDragAndDropKanban = setup({
  types: {
    context: {} as ContextKanban,
    events: {} as ÉvénementKanban,
    input: {} as EntréeKanban,
  },
  actors: {
    sauvegarderDéplacement: acteursParDéfaut.sauvegarderDéplacement,
    lirePositionCarte: acteursParDéfaut.lirePositionCarte,
  },
  delays: {
    délaiSauvegarde: DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS,
    délaiVérification: DÉLAI_VÉRIFICATION_PAR_DÉFAUT_MS,
    délaiEffacementErreur: DÉLAI_EFFACEMENT_ERREUR_MS,
  },
  guards: {
    // The rollback re-inserts the card at indexOriginal, so that index must be true of the board.
    carteÀSaPlace: ({ context }, p: { carteId: string; colonneId: string; index: number }) =>
      context.colonnes.find((c) => c.id === p.colonneId)?.cartes[p.index]?.id === p.carteId,
    colonneAccepte: ({ context }, p: { colonneId: string }) =>
      colonneAccepteCarte(context.colonnes, context.colonneOriginale, p.colonneId),
    serveurAAppliqué: ({ context }, p: { position: SortieLirePositionCarte }) =>
      mêmePosition(p.position, positionCarte(context.colonnes, context.carteGlissée!)),
    // A column the board does not have cannot take the card: the rollback is then the best guess left.
    positionSurLeTableau: ({ context }, p: { position: SortieLirePositionCarte }) =>
      p.position !== null && context.colonnes.some((c) => c.id === p.position!.colonneId),
  },
  actions: {
    commencerGlissement: assign((_, p: { carteId: string; colonneId: string; index: number }) => ({
      carteGlissée: p.carteId,
      colonneOriginale: p.colonneId,
      indexOriginal: p.index,
    })),
    cibler: assign((_, p: { colonneId: string; indexCible: number }) => ({
      colonneCible: p.colonneId,
      indexCible: p.indexCible,
    })),
    effacerCible: assign({ colonneCible: null, indexCible: null }),
    // The drop is one save attempt: one key, resent as is by a restore.
    déplacerLocalement: assign({
      colonnes: ({ context }) =>
        déplacerCarteLocalement(context.colonnes, context.carteGlissée!, context.colonneCible!, context.indexCible!),
      cléIdempotence: () => nouvelleCléIdempotence('deplacement'),
    }),
    // Exact inverse of déplacerLocalement because indexOriginal was checked against the board at COMMENCER.
    annulerDéplacement: assign(({ context }, p: { message: string }) => ({
      colonnes: déplacerCarteLocalement(
        context.colonnes,
        context.carteGlissée!,
        context.colonneOriginale!,
        context.indexOriginal!,
      ),
      erreurSauvegarde: p.message,
    })),
    // After a timeout the server is the judge: the card goes where it has it, not where the rollback would put it.
    placerCommeLeServeur: assign(({ context }, p: { position: PositionCarte; message: string }) => ({
      colonnes: déplacerCarteLocalement(context.colonnes, context.carteGlissée!, p.position.colonneId, p.position.index),
      erreurSauvegarde: p.message,
    })),
    réinitialiserGlissement: assign({
      carteGlissée: null,
      colonneOriginale: null,
      colonneCible: null,
      indexOriginal: null,
      indexCible: null,
      erreurSauvegarde: null,
      cléIdempotence: null,
    }),
  },
}).createMachine({
  id: 'dndKanban',
  version: KANBAN_MACHINE_VERSION,
  initial: 'repos',
  context: ({ input }) => ({
    colonnes: input?.colonnes ?? [],
    carteGlissée: null,
    colonneOriginale: null,
    colonneCible: null,
    indexOriginal: null,
    indexCible: null,
    erreurSauvegarde: null,
    cléIdempotence: null,
  }),

  states: {
    repos: {
      // Single place where a drag and its error end, whatever the way back here.
      entry: 'réinitialiserGlissement',
      on: {
        COMMENCER: {
          guard: {
            type: 'carteÀSaPlace',
            params: ({ event }) => ({ carteId: event.carteId, colonneId: event.colonneId, index: event.index }),
          },
          target: 'glissement',
          actions: {
            type: 'commencerGlissement',
            params: ({ event }) => ({ carteId: event.carteId, colonneId: event.colonneId, index: event.index }),
          },
        },
      },
    },

    glissement: {
      on: {
        SURVOL: {
          guard: { type: 'colonneAccepte', params: ({ event }) => ({ colonneId: event.colonneId }) },
          target: 'survol',
          actions: {
            type: 'cibler',
            params: ({ event }) => ({ colonneId: event.colonneId, indexCible: event.indexCible }),
          },
        },
        // Dropped outside any column: nothing moves (the seed stayed in glissement for good).
        DÉPOSER: 'repos',
        ANNULER: 'repos',
      },
    },

    survol: {
      on: {
        SURVOL: [
          {
            guard: { type: 'colonneAccepte', params: ({ event }) => ({ colonneId: event.colonneId }) },
            actions: {
              type: 'cibler',
              params: ({ event }) => ({ colonneId: event.colonneId, indexCible: event.indexCible }),
            },
          },
          // Moving onto a column that refuses the card: no valid target any more.
          { target: 'glissement', actions: 'effacerCible' },
        ],
        QUITTER: { target: 'glissement', actions: 'effacerCible' },
        DÉPOSER: { target: 'sauvegarde', actions: 'déplacerLocalement' },
        ANNULER: 'repos',
      },
    },

    sauvegarde: {
      // Optimistic update already applied by DÉPOSER; every way out of here either keeps it or rolls it back.
      invoke: {
        id: 'sauvegarderDéplacement',
        src: 'sauvegarderDéplacement',
        input: ({ context }) => ({
          cléIdempotence: context.cléIdempotence!,
          carteId: context.carteGlissée!,
          colonneId: context.colonneCible!,
          nouvelIndex: positionCarte(context.colonnes, context.carteGlissée!)?.index ?? context.indexCible!,
        }),
        onDone: { target: 'repos' },
        onError: {
          target: 'erreurSauvegarde',
          actions: {
            type: 'annulerDéplacement',
            params: ({ event }) => ({
              message: event.error instanceof Error ? event.error.message : String(event.error),
            }),
          },
        },
      },
      // No answer does not mean not applied: ask the server before rolling back (seed: rolled back blindly).
      after: { délaiSauvegarde: 'vérificationSauvegarde' },
    },

    vérificationSauvegarde: {
      // The save timed out and its request was aborted, but the server may have applied it.
      invoke: {
        id: 'lirePositionCarte',
        src: 'lirePositionCarte',
        input: ({ context }) => ({ carteId: context.carteGlissée! }),
        onDone: [
          // Applied after all: the board already shows it, nothing to undo or report.
          { guard: { type: 'serveurAAppliqué', params: ({ event }) => ({ position: event.output }) }, target: 'repos' },
          {
            guard: { type: 'positionSurLeTableau', params: ({ event }) => ({ position: event.output }) },
            target: 'erreurSauvegarde',
            actions: {
              type: 'placerCommeLeServeur',
              params: ({ event }) => ({ position: event.output!, message: MESSAGE_DÉLAI_DÉPASSÉ }),
            },
          },
          // The server never moved the card: it is where it was before the drag.
          {
            target: 'erreurSauvegarde',
            actions: { type: 'annulerDéplacement', params: { message: MESSAGE_DÉLAI_DÉPASSÉ } },
          },
        ],
        // No way to know: the seed's deterministic rollback.
        onError: {
          target: 'erreurSauvegarde',
          actions: { type: 'annulerDéplacement', params: { message: MESSAGE_DÉLAI_DÉPASSÉ } },
        },
      },
      after: {
        délaiVérification: {
          target: 'erreurSauvegarde',
          actions: { type: 'annulerDéplacement', params: { message: MESSAGE_DÉLAI_DÉPASSÉ } },
        },
      },
    },

    erreurSauvegarde: {
      // Leaving to repos clears erreurSauvegarde (repos entry), by timer or by EFFACER_ERREUR alike.
      after: { délaiEffacementErreur: 'repos' },
      on: {
        EFFACER_ERREUR: 'repos',
      },
    },
  },
});
