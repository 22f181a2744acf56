import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, type AnyEventObject, type EventFromLogic, type SnapshotFrom } from 'xstate';
import { TestModel, type TestPath } from 'xstate/graph';
import {
  activeStateIds,
  allStateIds,
  allTransitionKeys,
  formatCoverage,
  takenTransitionKeys,
} from '../test-support/coverage';
import { estCléIdempotence } from '../idempotence';
import { persistSnapshot, restoreActor } from '../persistence';
import { playEvent, settle } from '../test-support/replay';
import { createScriptedActor } from '../test-support/scripted-actor';
import { positionCarte } from './deplacerCarteLocalement';
import {
  DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS,
  DÉLAI_VÉRIFICATION_PAR_DÉFAUT_MS,
  LIMITE_COLONNE_PAR_DÉFAUT,
  machineDragAndDropKanban,
} from './machine';
import type {
  Colonne,
  ContextKanban,
  EntréeLirePositionCarte,
  EntréeSauvegarderDéplacement,
  PositionCarte,
  SortieLirePositionCarte,
} from './types';

type Snap = SnapshotFrom<typeof machineDragAndDropKanban>;
type Ev = EventFromLogic<typeof machineDragAndDropKanban>;

// Dragging c1 meets every acceptance rule: its own full column (àFaire), another full one (enCours),
// an unlimited one (fait), one under the default limit (backlog) and a column that no longer exists.
const TABLEAU: Colonne[] = [
  { id: 'àFaire', titre: 'À faire', limite: 2, cartes: [{ id: 'c1', titre: 'Maquette' }, { id: 'c2', titre: 'API' }] },
  { id: 'enCours', titre: 'En cours', limite: 1, cartes: [{ id: 'c3', titre: 'Recette' }] },
  { id: 'fait', titre: 'Fait', limite: null, cartes: [] },
  { id: 'backlog', titre: 'Backlog', cartes: [] },
];
// One dragged card keeps the board space small (a second one multiplies the paths by ~15).
const CARTES_GLISSÉES = ['c1'];
const TOUTES_LES_CARTES = TABLEAU.flatMap((c) => c.cartes.map((carte) => carte.id)).sort();

const USER_EVENT_TYPES = machineDragAndDropKanban.root.events.filter((type) => !type.startsWith('xstate.'));

/**
 * Concrete events for a type, built from the current board: real and stale drags, every column, an unknown one;
 * after a save timeout, every answer the server may give (applied, not applied, never moved, a gone column).
 */
function concreteEvents(type: string, context: ContextKanban): AnyEventObject[] {
  const { colonnes } = context;
  switch (type) {
    case 'COMMENCER':
      return CARTES_GLISSÉES.flatMap((carteId) => {
        const position = positionCarte(colonnes, carteId)!;
        return [
          { type, carteId, colonneId: position.colonneId, index: position.index },
          { type, carteId, colonneId: position.colonneId, index: position.index + 1 },
        ];
      });
    case 'SURVOL':
      return [
        { type, colonneId: 'àFaire', indexCible: 0 },
        { type, colonneId: 'àFaire', indexCible: 1 },
        { type, colonneId: 'enCours', indexCible: 0 },
        { type, colonneId: 'fait', indexCible: 0 },
        { type, colonneId: 'backlog', indexCible: 0 },
        { type, colonneId: 'colonneSupprimée', indexCible: 0 },
      ];
    case 'xstate.error.actor.sauvegarderDéplacement':
      return [{ type, error: new Error('Erreur 500') }];
    case 'xstate.done.actor.lirePositionCarte':
      return (
        [
          positionCarte(colonnes, context.carteGlissée!),
          { colonneId: context.colonneOriginale!, index: context.indexOriginal! },
          null,
          { colonneId: 'colonneSupprimée', index: 0 },
        ] satisfies SortieLirePositionCarte[]
      ).map((output) => ({ type, output }));
    case 'xstate.error.actor.lirePositionCarte':
      return [{ type, error: new Error('Erreur 503') }];
    default:
      return [{ type }];
  }
}

function eventsFor(snapshot: Snap): Ev[] {
  const types = new Set(
    activeStateIds(machineDragAndDropKanban, snapshot.value).flatMap(
      (id) => machineDragAndDropKanban.getStateNodeById(id).ownEvents,
    ),
  );
  // While saving or re-reading, the user keeps dragging and clicking (the seed's ghost-card scenario): the model tries it all.
  if (snapshot.matches('sauvegarde') || snapshot.matches('vérificationSauvegarde')) {
    for (const type of USER_EVENT_TYPES) types.add(type);
  }
  // Also feeds internal events (actor results, timers), which the machine's event type does not list.
  return [...types].flatMap((type) => concreteEvents(type, snapshot.context)) as Ev[];
}

// The key's value is random; whether a save attempt holds one is what behaviour depends on.
const abstraction = (s: Snap) => JSON.stringify([s.value, { ...s.context, cléIdempotence: s.context.cléIdempotence !== null }]);

function serializeState(s: Snap, event: Ev | undefined, previous?: Snap): string {
  if (!event) return abstraction(s);
  return `${abstraction(s)} via ${JSON.stringify(event)} from ${previous ? abstraction(previous) : '∅'}`;
}

// createTestModel() refuses machines with invoke/after (validateMachine); TestModel is the class it builds.
const model = new TestModel(machineDragAndDropKanban, {
  events: eventsFor,
  serializeState,
  input: { colonnes: TABLEAU },
  limit: 50_000,
});
const paths = model.getShortestPaths();

function label(event: AnyEventObject): string {
  const e = event as Ev;
  if (e.type === 'COMMENCER') return `COMMENCER(${e.carteId}@${e.colonneId}[${e.index}])`;
  if (e.type === 'SURVOL') return `SURVOL(${e.colonneId}[${e.indexCible}])`;
  if (event.type === 'xstate.done.actor.lirePositionCarte') {
    const position = (event as AnyEventObject & { output: SortieLirePositionCarte }).output;
    return `position(${position ? `${position.colonneId}[${position.index}]` : 'aucune'})`;
  }
  if (event.type === 'xstate.error.actor.lirePositionCarte') return 'position✗';
  if (event.type.startsWith('xstate.done.actor.')) return 'sauvegarde✓';
  if (event.type.startsWith('xstate.error.actor.')) return 'sauvegarde✗';
  if (event.type.startsWith('xstate.after.')) return `⏱${event.type.split('.')[2]}`;
  return event.type;
}

const pathName = (path: TestPath<Snap, Ev>, i: number) =>
  `#${i} ${path.steps.slice(1).map((s) => label(s.event)).join(' → ') || '(initial)'}`;

const limiteEffective = (c: Colonne) => (c.limite === undefined ? LIMITE_COLONNE_PAR_DÉFAUT : c.limite);

interface PathResult {
  states: Set<string>;
  transitions: Set<string>;
  saveFailures: number;
}

function démarrerTestable(clock: SimulatedClock) {
  const sauvegarder = createScriptedActor<void, EntréeSauvegarderDéplacement>();
  const lirePosition = createScriptedActor<SortieLirePositionCarte, EntréeLirePositionCarte>();
  const sut = machineDragAndDropKanban.provide({
    actors: { sauvegarderDéplacement: sauvegarder.logic, lirePositionCarte: lirePosition.logic },
  });
  return { sut, sauvegarder, lirePosition, clock };
}

/**
 * A restore at this step, tried on a copy (the path goes on with the original): it resends the save in
 * flight with the same key, or re-reads the position, and still gets out of sauvegarde when nothing answers.
 */
async function vérifierReprise(actor: ReturnType<typeof createActor<typeof machineDragAndDropKanban>>, enCours: EntréeSauvegarderDéplacement | null) {
  const copie = démarrerTestable(new SimulatedClock());
  const r = restoreActor(copie.sut, JSON.parse(JSON.stringify(persistSnapshot(actor))), { clock: copie.clock });
  if (enCours) expect(copie.sauvegarder.pending().input).toEqual(enCours);
  else expect(copie.lirePosition.pending().input).toEqual({ carteId: actor.getSnapshot().context.carteGlissée });
  if (enCours) {
    copie.clock.increment(DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS);
    expect(copie.lirePosition.pending().input).toEqual({ carteId: enCours.carteId });
  }
  copie.clock.increment(DÉLAI_VÉRIFICATION_PAR_DÉFAUT_MS);
  await settle();
  expect(r.getSnapshot().value).toBe('erreurSauvegarde');
  expect(copie.sauvegarder.running + copie.lirePosition.running).toBe(0);
  r.stop();
}

/** Replays a model path on a real actor with a scripted save, checking the board properties at each step. */
async function runPath(path: TestPath<Snap, Ev>): Promise<PathResult> {
  const { sut, sauvegarder, lirePosition, clock } = démarrerTestable(new SimulatedClock());
  const actor = createActor(sut, { clock, input: { colonnes: TABLEAU } }).start();
  const states = new Set(activeStateIds(sut, actor.getSnapshot().value));
  const transitions = new Set<string>();
  let tableauAvantGlissement: Colonne[] | null = null;
  let saveFailures = 0;
  const clésVues = new Set<string>();

  for (const step of path.steps.slice(1)) {
    const event = step.event as AnyEventObject;
    const before = actor.getSnapshot();
    for (const key of takenTransitionKeys(sut, before, event)) transitions.add(key);

    const sauvegardesAvant = sauvegarder.calls.length;
    await playEvent(actor, event, { sauvegarderDéplacement: sauvegarder, lirePositionCarte: lirePosition }, clock);

    const after = actor.getSnapshot();
    for (const id of activeStateIds(sut, after.value)) states.add(id);
    expect(abstraction(after), label(event)).toBe(abstraction(step.state));

    if (before.matches('repos') && after.matches('glissement')) tableauAvantGlissement = structuredClone(before.context.colonnes);

    // Rollback: after every failed save the board is exactly the board before the drag.
    if (before.matches('sauvegarde') && after.matches('erreurSauvegarde')) {
      saveFailures += 1;
      expect(after.context.colonnes).toEqual(tableauAvantGlissement);
    }
    // After a timeout the server decides: the card ends where it has it, or where it was when it has none
    // (or a position the board cannot show, or no answer at all).
    if (before.matches('vérificationSauvegarde') && !after.matches('vérificationSauvegarde')) {
      const carte = before.context.carteGlissée!;
      const serveur = event.type === 'xstate.done.actor.lirePositionCarte' ? (event as AnyEventObject & { output: SortieLirePositionCarte }).output : null;
      const visible = serveur !== null && TABLEAU.some((c) => c.id === serveur.colonneId);
      if (visible) expect(positionCarte(after.context.colonnes, carte)).toEqual(serveur satisfies PositionCarte);
      else expect(after.context.colonnes).toEqual(tableauAvantGlissement);
      // Only a move the server did not apply is an error; an applied one stays as the drop left it.
      const appliqué = visible && JSON.stringify(serveur) === JSON.stringify(positionCarte(before.context.colonnes, carte));
      expect(after.value).toBe(appliqué ? 'repos' : 'erreurSauvegarde');
      if (appliqué) expect(after.context.colonnes).toEqual(before.context.colonnes);
      else saveFailures += 1;
    }
    // Each drop is one save attempt with its own key.
    for (const appel of sauvegarder.calls.slice(sauvegardesAvant)) {
      expect(estCléIdempotence(appel.input.cléIdempotence, 'deplacement')).toBe(true);
      expect(clésVues.has(appel.input.cléIdempotence)).toBe(false);
      clésVues.add(appel.input.cléIdempotence);
    }
    // No ghost or duplicated card, ever.
    expect(after.context.colonnes.flatMap((c) => c.cartes.map((carte) => carte.id)).sort()).toEqual(TOUTES_LES_CARTES);
    // A drop never pushes another column over its limit.
    if (event.type === 'DÉPOSER' && after.matches('sauvegarde') && after.context.colonneCible !== after.context.colonneOriginale) {
      const cible = after.context.colonnes.find((c) => c.id === after.context.colonneCible)!;
      const limite = limiteEffective(cible);
      if (limite !== null) expect(cible.cartes.length).toBeLessThanOrEqual(limite);
    }
    // Never two saves at once, and none outside sauvegarde; the re-read only in vérificationSauvegarde.
    expect(sauvegarder.overlappingStarts).toBe(0);
    expect(sauvegarder.running).toBe(after.matches('sauvegarde') ? 1 : 0);
    expect(lirePosition.running).toBe(after.matches('vérificationSauvegarde') ? 1 : 0);
    if (after.matches('sauvegarde')) await vérifierReprise(actor, sauvegarder.pending().input);
    if (after.matches('vérificationSauvegarde')) await vérifierReprise(actor, null);
    // repos means no drag and no error left behind.
    if (after.matches('repos')) {
      const { colonnes: _colonnes, ...glissement } = after.context;
      expect(Object.values(glissement).every((v) => v === null)).toBe(true);
    }
  }
  actor.stop();
  return { states, transitions, saveFailures };
}

const results = new Map<number, PathResult>();

describe('machineDragAndDropKanban — model-based paths', () => {
  it.each(paths.map((path, i) => [pathName(path, i), i] as const))('%s', async (_name, i) => {
    results.set(i, await runPath(paths[i]!));
  });

  it('reaches every state and every transition of the machine definition', async () => {
    for (const [i, path] of paths.entries()) if (!results.has(i)) results.set(i, await runPath(path));
    const reachedStates = new Set([...results.values()].flatMap((r) => [...r.states]));
    const reachedTransitions = new Set([...results.values()].flatMap((r) => [...r.transitions]));
    const expectedStates = allStateIds(machineDragAndDropKanban);
    const expectedTransitions = allTransitionKeys(machineDragAndDropKanban);
    const saveFailures = [...results.values()].reduce((n, r) => n + r.saveFailures, 0);

    console.log(
      `${formatCoverage(
        'kanban',
        { reached: reachedStates.size, total: expectedStates.length },
        { reached: reachedTransitions.size, total: expectedTransitions.length },
        paths.length,
      )}, ${saveFailures} failed saves undone (rolled back, or set where the server has the card)`,
    );
    expect([...reachedStates].sort()).toEqual([...expectedStates].sort());
    expect([...reachedTransitions].sort()).toEqual([...expectedTransitions].sort());
    expect(saveFailures).toBeGreaterThan(0);
  });
});
