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
import { playEvent } from '../test-support/replay';
import { createScriptedActor } from '../test-support/scripted-actor';
import { positionCarte } from './deplacerCarteLocalement';
import { LIMITE_COLONNE_PAR_DÉFAUT, machineDragAndDropKanban } from './machine';
import type { Colonne, EntréeSauvegarderDéplacement } from './types';

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

/** Concrete events for a type, built from the current board: real and stale drags, every column, an unknown one. */
function concreteEvents(type: string, colonnes: Colonne[]): AnyEventObject[] {
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
  // While saving, the user keeps dragging and clicking (the seed's ghost-card scenario): the model tries it all.
  if (snapshot.matches('sauvegarde')) for (const type of USER_EVENT_TYPES) types.add(type);
  // Also feeds internal events (actor results, timers), which the machine's event type does not list.
  return [...types].flatMap((type) => concreteEvents(type, snapshot.context.colonnes)) as Ev[];
}

const abstraction = (s: Snap) => JSON.stringify([s.value, s.context]);

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

/** Replays a model path on a real actor with a scripted save, checking the board properties at each step. */
async function runPath(path: TestPath<Snap, Ev>): Promise<PathResult> {
  const clock = new SimulatedClock();
  const sauvegarder = createScriptedActor<void, EntréeSauvegarderDéplacement>();
  const sut = machineDragAndDropKanban.provide({ actors: { sauvegarderDéplacement: sauvegarder.logic } });
  const actor = createActor(sut, { clock, input: { colonnes: TABLEAU } }).start();
  const states = new Set(activeStateIds(sut, actor.getSnapshot().value));
  const transitions = new Set<string>();
  let tableauAvantGlissement: Colonne[] | null = null;
  let saveFailures = 0;

  for (const step of path.steps.slice(1)) {
    const event = step.event as AnyEventObject;
    const before = actor.getSnapshot();
    for (const key of takenTransitionKeys(sut, before, event)) transitions.add(key);

    await playEvent(actor, event, { sauvegarderDéplacement: sauvegarder }, clock);

    const after = actor.getSnapshot();
    for (const id of activeStateIds(sut, after.value)) states.add(id);
    expect(abstraction(after), label(event)).toBe(abstraction(step.state));

    if (before.matches('repos') && after.matches('glissement')) tableauAvantGlissement = structuredClone(before.context.colonnes);

    // Rollback: after every failed save (error or timeout) the board is exactly the board before the drag.
    if (before.matches('sauvegarde') && after.matches('erreurSauvegarde')) {
      saveFailures += 1;
      expect(after.context.colonnes).toEqual(tableauAvantGlissement);
    }
    // No ghost or duplicated card, ever.
    expect(after.context.colonnes.flatMap((c) => c.cartes.map((carte) => carte.id)).sort()).toEqual(TOUTES_LES_CARTES);
    // A drop never pushes another column over its limit.
    if (event.type === 'DÉPOSER' && after.matches('sauvegarde') && after.context.colonneCible !== after.context.colonneOriginale) {
      const cible = after.context.colonnes.find((c) => c.id === after.context.colonneCible)!;
      const limite = limiteEffective(cible);
      if (limite !== null) expect(cible.cartes.length).toBeLessThanOrEqual(limite);
    }
    // Never two saves at once, and none outside sauvegarde.
    expect(sauvegarder.overlappingStarts).toBe(0);
    expect(sauvegarder.running).toBe(after.matches('sauvegarde') ? 1 : 0);
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
      )}, ${saveFailures} failed saves rolled back`,
    );
    expect([...reachedStates].sort()).toEqual([...expectedStates].sort());
    expect([...reachedTransitions].sort()).toEqual([...expectedTransitions].sort());
    expect(saveFailures).toBeGreaterThan(0);
  });
});
