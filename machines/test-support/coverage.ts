import type { AnyEventObject, AnyStateMachine, AnyStateNode, StateValue } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { activeStateNodes } from '../state-tree';

// Coverage is computed from the machine definition itself, so adding a state or a transition
// without a way to reach it makes the model tests fail.

/** Ids of every state node of the machine (root excluded): atomic, compound, parallel regions. */
export function allStateIds(machine: AnyStateMachine): string[] {
  return getStateNodes(machine.root).map((node) => node.id);
}

function transitionKey(sourceId: string, eventType: string, index: number): string {
  return `${sourceId} —${eventType}#${index}→`;
}

/** One key per transition definition (each guarded candidate counts), including invoke done/error and `after`. */
export function allTransitionKeys(machine: AnyStateMachine): string[] {
  return [machine.root, ...getStateNodes(machine.root)].flatMap((node) =>
    [...node.transitions.entries()].flatMap(([eventType, definitions]) =>
      definitions.map((_, index) => transitionKey(node.id, eventType, index)),
    ),
  );
}

/** Keys of the transitions `machine` takes for `event` from `snapshot` (empty when the event is ignored). */
export function takenTransitionKeys(
  machine: AnyStateMachine,
  snapshot: Parameters<AnyStateMachine['getTransitionData']>[0],
  event: AnyEventObject,
): string[] {
  return machine.getTransitionData(snapshot, event).map((transition) => {
    const source = transition.source as AnyStateNode;
    const index = (source.transitions.get(transition.eventType) ?? []).indexOf(transition);
    return transitionKey(source.id, transition.eventType, index);
  });
}

/** Ids of the state nodes active for a state value, resolved against the machine's own tree. */
export function activeStateIds(machine: AnyStateMachine, value: StateValue): string[] {
  return activeStateNodes(machine, value).map((node) => node.id);
}

/** Milliseconds behind an `xstate.after.*` event type, read from the machine's `after` definitions. */
export function delayOfAfterEvent(machine: AnyStateMachine, eventType: string): number {
  for (const node of getStateNodes(machine.root)) {
    const definition = node.after.find((d) => d.eventType === eventType);
    if (!definition) continue;
    const delay: unknown = definition.delay;
    if (typeof delay === 'number') return delay;
    const named = typeof delay === 'string' ? machine.implementations.delays[delay] : undefined;
    if (typeof named === 'number') return named;
    throw new Error(`Delay "${String(definition.delay)}" is not a fixed number of milliseconds`);
  }
  throw new Error(`No delayed transition for ${eventType}`);
}

export function formatCoverage(
  name: string,
  states: { reached: number; total: number },
  transitions: { reached: number; total: number },
  paths: number,
): string {
  return `${name} model: ${states.reached}/${states.total} states, ${transitions.reached}/${transitions.total} transitions, ${paths} paths`;
}
