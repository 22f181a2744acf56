import { createActor, type Actor, type ActorOptions, type AnyStateMachine, type Snapshot } from 'xstate';
import { activeStateNodes, InvalidStateValueError } from './state-tree';

/** What a page stores (localStorage, server) to resume an actor later. */
export interface PersistedActorSnapshot<TSnapshot = Snapshot<unknown>> {
  machineId: string;
  version: string;
  snapshot: TSnapshot;
}

export type IncompatibilityReason = 'malformed' | 'machine' | 'version' | 'state';

/** A stored snapshot this machine must not resume from; the caller should start a fresh actor instead. */
export class IncompatibleSnapshotError extends Error {
  override readonly name = 'IncompatibleSnapshotError';
  constructor(
    readonly reason: IncompatibilityReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function persistSnapshot<TMachine extends AnyStateMachine>(
  actor: Actor<TMachine>,
): PersistedActorSnapshot<ReturnType<Actor<TMachine>['getPersistedSnapshot']>> {
  const { id, version } = actor.logic;
  // Without a version, a snapshot could not be told apart from one written by an older machine.
  if (!version) throw new Error(`Machine "${id}" has no version: set one before persisting its snapshots`);
  return { machineId: id, version, snapshot: actor.getPersistedSnapshot() };
}

export type RestoreOptions<TMachine extends AnyStateMachine> = Omit<ActorOptions<TMachine>, 'snapshot' | 'state'> & {
  /** Version the snapshot must carry; the machine's own version by default. */
  version?: string;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolveDelay(machine: AnyStateMachine, delay: unknown, context: unknown): number {
  const config = typeof delay === 'string' ? machine.implementations.delays[delay] : delay;
  if (typeof config === 'number') return config;
  if (typeof config === 'function') return Number(config({ context, event: { type: 'xstate.restore' } }));
  throw new IncompatibleSnapshotError('state', `Cannot resolve delay "${String(delay)}" of machine "${machine.id}"`);
}

/**
 * Creates and starts an actor from a stored snapshot, after checking it belongs to this machine and version
 * and that its state exists in the machine. Throws IncompatibleSnapshotError otherwise.
 *
 * Two things xstate does on restore that callers must know:
 * - an invoke that was in flight runs again with the same input (traiterPaiement, sauvegarderDéplacement),
 *   so those endpoints must be idempotent;
 * - `after` timers are not persisted (statelyai/xstate#5331), so they are re-armed here with their full delay,
 *   or a restored `sauvegarde` would never time out.
 * Pass `inspect` in the options to observe the actor from its first snapshot.
 */
export function restoreActor<TMachine extends AnyStateMachine>(
  machine: TMachine,
  persisted: unknown,
  options: RestoreOptions<TMachine> = {},
): Actor<TMachine> {
  const { version: expectedVersion = machine.version, ...actorOptions } = options;

  if (!isObject(persisted) || typeof persisted.machineId !== 'string' || typeof persisted.version !== 'string') {
    throw new IncompatibleSnapshotError('malformed', 'Not a persisted snapshot: expected { machineId, version, snapshot }');
  }
  if (persisted.machineId !== machine.id) {
    throw new IncompatibleSnapshotError(
      'machine',
      `Snapshot of machine "${persisted.machineId}" cannot restore machine "${machine.id}"`,
    );
  }
  if (persisted.version !== expectedVersion) {
    throw new IncompatibleSnapshotError(
      'version',
      `Snapshot version "${persisted.version}" of machine "${machine.id}" does not match "${String(expectedVersion)}"`,
    );
  }
  const snapshot = persisted.snapshot;
  if (!isObject(snapshot) || snapshot.status !== 'active' || !isObject(snapshot.context)) {
    throw new IncompatibleSnapshotError('malformed', `Snapshot of "${machine.id}" is not an active machine snapshot`);
  }
  try {
    activeStateNodes(machine, snapshot.value);
  } catch (error) {
    if (!(error instanceof InvalidStateValueError)) throw error;
    throw new IncompatibleSnapshotError('state', `Snapshot state does not exist in "${machine.id}": ${error.message}`, {
      cause: error,
    });
  }

  // The generic TMachine cannot satisfy createActor's conditional `input` requirement; a snapshot replaces input.
  const actor = createActor(machine as AnyStateMachine, {
    ...actorOptions,
    snapshot: snapshot as Snapshot<unknown>,
  }) as Actor<TMachine>;
  const restored = actor.getSnapshot() as Snapshot<unknown> & { error?: unknown };
  if (restored.status === 'error') {
    throw new IncompatibleSnapshotError('state', `Machine "${machine.id}" rejected the snapshot`, { cause: restored.error });
  }

  actor.start();
  const started = actor.getSnapshot() as { value: unknown; context: unknown };
  for (const node of activeStateNodes(machine, started.value)) {
    for (const delayed of node.after) {
      // Same id xstate gives the timer on entry, so leaving the state cancels it as usual.
      actor.system.scheduler.schedule(
        actor,
        actor,
        { type: delayed.eventType },
        resolveDelay(machine, delayed.delay, started.context),
        delayed.eventType,
      );
    }
  }
  return actor;
}
