import type { Actor, AnyEventObject, AnyStateMachine, SimulatedClock } from 'xstate';
import { delayOfAfterEvent } from './coverage';

/** Lets promise callbacks (actor done/error relays) run. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

interface Settleable {
  // Method syntax on purpose: parameters compare bivariantly, so any ScriptedActor<TOutput, TInput> fits.
  pending(): { resolve(output: unknown): void; reject(error: unknown): void };
}

const DONE = 'xstate.done.actor.';
const ERROR = 'xstate.error.actor.';
const AFTER = 'xstate.after.';

/**
 * Plays one model event on a real actor: UI events are sent, actor results settle the scripted
 * stand-in with that invoke id, delayed events advance the simulated clock by the machine's delay.
 */
export async function playEvent<TMachine extends AnyStateMachine>(
  actor: Actor<TMachine>,
  event: AnyEventObject,
  scripted: Record<string, Settleable>,
  clock: SimulatedClock,
): Promise<void> {
  if (event.type.startsWith(DONE) || event.type.startsWith(ERROR)) {
    const isDone = event.type.startsWith(DONE);
    const id = event.type.slice((isDone ? DONE : ERROR).length);
    const stand = scripted[id];
    if (!stand) throw new Error(`No scripted actor for invoke id "${id}"`);
    const call = stand.pending();
    if (isDone) call.resolve((event as { output?: unknown }).output);
    else call.reject((event as { error?: unknown }).error);
    await settle();
    return;
  }
  if (event.type.startsWith(AFTER)) {
    clock.increment(delayOfAfterEvent(actor.logic, event.type));
    await settle();
    return;
  }
  actor.send(event as Parameters<Actor<TMachine>['send']>[0]);
  await settle();
}

