import type { Actor, SnapshotFrom } from 'xstate';
import type { machineCheckout } from './checkout/machine';
import type { ContextCheckout } from './checkout/types';
import type { machineDragAndDropKanban } from './kanban/machine';
import type {
  CheckoutTransitionEvent,
  ContexteCheckoutRapporté,
  KanbanSaveErrorEvent,
  ReporterBatch,
  ReporterEvent,
  ReporterSource,
  ValeurÉtat,
} from './reporter-types';

type CheckoutActor = Actor<typeof machineCheckout>;
type KanbanActor = Actor<typeof machineDragAndDropKanban>;
type CheckoutSnapshot = SnapshotFrom<typeof machineCheckout>;
type KanbanSnapshot = SnapshotFrom<typeof machineDragAndDropKanban>;

export interface BackoffOptions {
  /** Wait before the first retry. */
  initialMs: number;
  /** Each further retry waits this many times longer. */
  factor: number;
  maxMs: number;
  /** Fraction of each wait taken off at random (0..1), so many browsers do not retry in step. */
  jitter: number;
}

export interface ReporterOptions<S extends ReporterSource> {
  endpoint: string;
  apiKey: string;
  source: S;
  sessionId: string;
  fetch?: typeof fetch;
  /** Events per POST; a full batch is sent at once. */
  batchSize?: number;
  /** A partial batch waits at most this long. */
  flushIntervalMs?: number;
  /** Events waiting to be sent (not counting the batch in flight); the oldest are dropped beyond it. */
  maxQueue?: number;
  /** Retries of one batch after its first attempt, on network errors, 5xx and 429. */
  maxRetries?: number;
  backoff?: Partial<BackoffOptions>;
}

export interface ReporterStats {
  sent: number;
  dropped: number;
  /** Retry attempts made (one per batch re-sent). */
  retried: number;
  /** Queued plus in flight. */
  pending: number;
  droppedBy: {
    overflow: number;
    /** Refused by the server with a 4xx other than 429: sending them again would not help. */
    rejected: number;
    retriesExhausted: number;
    /** The reporter failed to build the event; counted rather than thrown into the actor. */
    reporterError: number;
  };
}

export type Detach = () => void;

export interface Reporter<S extends ReporterSource> {
  /** Starts reporting an actor's transitions (checkout) or save errors (kanban); returns a detach function. */
  attach: S extends 'checkout'
    ? (actor: CheckoutActor) => Detach
    : (actor: KanbanActor, options: { boardId: string }) => Detach;
  /** Sends everything pending now; resolves once it is all sent or dropped. */
  flush(): Promise<void>;
  /** Detaches every actor and flushes what is left; later events are ignored. */
  stop(): Promise<void>;
  stats(): ReporterStats;
}

export const DEFAULT_REPORTER_OPTIONS = {
  batchSize: 20,
  flushIntervalMs: 5_000,
  maxQueue: 500,
  maxRetries: 5,
  backoff: { initialMs: 1_000, factor: 2, maxMs: 30_000, jitter: 0.2 } satisfies BackoffOptions,
};

/** Bodies under this go with `keepalive`, so a batch sent while the page unloads still leaves. */
const KEEPALIVE_MAX_BYTES = 60_000;

/** The checkout context without payment method id, name or street; postal code cut to its first two characters. */
export function minimiserContexteCheckout(context: ContextCheckout): ContexteCheckoutRapporté {
  const adresse = context.adresseLivraison;
  return {
    items: context.items.map(({ produitId, quantité, prix }) => ({ produitId, quantité, prix })),
    adresseLivraison: adresse
      ? { ville: adresse.ville, pays: adresse.pays, codePostalPréfixe: adresse.codePostal.slice(0, 2) }
      : null,
    méthodeExpédition: context.méthodeExpédition,
    méthodePaiementChoisie: context.méthodeId !== null,
    tentativesPaiement: context.tentativesPaiement,
    référenceCommande: context.référenceCommande,
    erreurLivraison: context.erreurLivraison,
    erreurPaiement: context.erreurPaiement,
    erreurRéseau: context.erreurRéseau,
  };
}

function retryAfterMs(header: string | null): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`Reporter option ${name} must be an integer ≥ ${min}`);
  return value;
}

export function createReporter<S extends ReporterSource>(options: ReporterOptions<S>): Reporter<S> {
  const batchSize = positiveInteger('batchSize', options.batchSize ?? DEFAULT_REPORTER_OPTIONS.batchSize, 1);
  const maxQueue = positiveInteger('maxQueue', options.maxQueue ?? DEFAULT_REPORTER_OPTIONS.maxQueue, 1);
  const maxRetries = positiveInteger('maxRetries', options.maxRetries ?? DEFAULT_REPORTER_OPTIONS.maxRetries, 0);
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_REPORTER_OPTIONS.flushIntervalMs;
  const backoff: BackoffOptions = { ...DEFAULT_REPORTER_OPTIONS.backoff, ...options.backoff };
  const fetchFn: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  const queue: ReporterEvent[] = [];
  let inFlight: ReporterEvent[] = [];
  let draining: Promise<void> | null = null;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const detachers = new Set<Detach>();
  const counts = { sent: 0, retried: 0, overflow: 0, rejected: 0, retriesExhausted: 0, reporterError: 0 };

  function scheduleDrain(delayMs: number): void {
    if (flushTimer !== null) {
      if (delayMs > 0) return;
      clearTimeout(flushTimer);
    }
    // Sending happens on a later tick, never inside the actor's notification.
    flushTimer = setTimeout(() => {
      flushTimer = null;
      void drain();
    }, delayMs);
  }

  function enqueue(build: () => ReporterEvent): void {
    if (stopped) return;
    try {
      queue.push(build());
    } catch {
      // A reporter bug must never break the checkout or the board it watches.
      counts.reporterError += 1;
      return;
    }
    if (queue.length > maxQueue) {
      queue.shift();
      counts.overflow += 1;
    }
    scheduleDrain(queue.length >= batchSize ? 0 : flushIntervalMs);
  }

  function backoffDelay(retry: number): number {
    const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** retry);
    return base * (1 - backoff.jitter * Math.random());
  }

  async function send(batch: ReporterEvent[]): Promise<void> {
    const body = JSON.stringify({ events: batch } satisfies ReporterBatch);
    for (let attempt = 0; ; attempt++) {
      let serverWaitMs = 0;
      try {
        const response = await fetchFn(options.endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${options.apiKey}` },
          body,
          keepalive: body.length < KEEPALIVE_MAX_BYTES,
        });
        if (response.ok) {
          counts.sent += batch.length;
          return;
        }
        if (response.status !== 429 && response.status < 500) {
          counts.rejected += batch.length;
          return;
        }
        serverWaitMs = retryAfterMs(response.headers.get('Retry-After'));
      } catch {
        // Network failure: retried below like a 5xx.
      }
      if (attempt >= maxRetries) {
        counts.retriesExhausted += batch.length;
        return;
      }
      counts.retried += 1;
      const waitMs = Math.max(backoffDelay(attempt), serverWaitMs);
      await new Promise<void>((resolve) => setTimeout(resolve, waitMs));
    }
  }

  function drain(): Promise<void> {
    if (draining) return draining;
    const run = async () => {
      // One batch at a time keeps order and bounds memory to maxQueue + batchSize.
      while (queue.length > 0) {
        inFlight = queue.splice(0, batchSize);
        await send(inFlight);
        inFlight = [];
      }
    };
    draining = run().finally(() => {
      draining = null;
      inFlight = [];
    });
    return draining;
  }

  function envelope(machineId: string, version: string | undefined) {
    return {
      eventId: globalThis.crypto.randomUUID(),
      sessionId: options.sessionId,
      machineId,
      version: version ?? 'inconnue',
      at: new Date().toISOString(),
    };
  }

  function attachCheckout(actor: CheckoutActor): Detach {
    let previous: CheckoutSnapshot | undefined;
    const atAttach = actor.getSnapshot();
    const subscription = actor.system.inspect((inspection) => {
      // @xstate.snapshot carries the event with the resulting snapshot; subscribe() would give the snapshot alone.
      if (inspection.type !== '@xstate.snapshot' || inspection.actorRef !== actor) return;
      const snapshot = inspection.snapshot as CheckoutSnapshot;
      // Attached before start: report xstate.init; attached later: compare with the state found at attach.
      const before = previous ?? (inspection.event.type === 'xstate.init' ? undefined : atAttach);
      previous = snapshot;
      if (before && JSON.stringify([before.value, before.context]) === JSON.stringify([snapshot.value, snapshot.context])) {
        return;
      }
      // The spinner's own ticks are UI, not checkout progress.
      if (
        inspection.event.type.startsWith('xstate.after.') &&
        before?.matches('traitementPaiement') &&
        snapshot.matches('traitementPaiement')
      ) {
        return;
      }
      enqueue(
        (): CheckoutTransitionEvent => ({
          source: 'checkout',
          ...envelope(actor.logic.id, actor.logic.version),
          state: snapshot.value as ValeurÉtat,
          tags: [...snapshot.tags].sort(),
          eventType: inspection.event.type,
          context: minimiserContexteCheckout(snapshot.context),
        }),
      );
    });
    return () => subscription.unsubscribe();
  }

  function attachKanban(actor: KanbanActor, { boardId }: { boardId: string }): Detach {
    let previous: KanbanSnapshot = actor.getSnapshot();
    const subscription = actor.system.inspect((inspection) => {
      if (inspection.type !== '@xstate.snapshot' || inspection.actorRef !== actor) return;
      const snapshot = inspection.snapshot as KanbanSnapshot;
      const before = previous;
      previous = snapshot;
      if (!snapshot.matches('erreurSauvegarde') || before.matches('erreurSauvegarde')) return;
      const { context } = snapshot;
      enqueue(
        (): KanbanSaveErrorEvent => ({
          source: 'kanban',
          ...envelope(actor.logic.id, actor.logic.version),
          boardId,
          carteId: context.carteGlissée ?? '',
          colonneOriginale: context.colonneOriginale ?? '',
          colonneCible: context.colonneCible ?? '',
          indexCible: context.indexCible ?? -1,
          erreur: context.erreurSauvegarde ?? '',
          // A save that timed out reaches erreurSauvegarde through the re-read of the card's position.
          kind: before.matches('vérificationSauvegarde') ? 'timeout' : 'error',
          board: structuredClone(context.colonnes),
        }),
      );
    });
    return () => subscription.unsubscribe();
  }

  function track(detach: Detach): Detach {
    detachers.add(detach);
    return () => {
      detachers.delete(detach);
      detach();
    };
  }

  const attach = (actor: CheckoutActor | KanbanActor, attachOptions?: { boardId: string }): Detach => {
    if (stopped) throw new Error('Reporter is stopped');
    if (options.source === 'checkout') {
      if (actor.logic.id !== 'checkout') throw new Error(`A checkout reporter cannot watch "${actor.logic.id}"`);
      return track(attachCheckout(actor as CheckoutActor));
    }
    if (actor.logic.id !== 'dndKanban') throw new Error(`A kanban reporter cannot watch "${actor.logic.id}"`);
    if (!attachOptions?.boardId) throw new Error('A kanban reporter needs the boardId of the board it watches');
    return track(attachKanban(actor as KanbanActor, attachOptions));
  };

  function flush(): Promise<void> {
    if (flushTimer !== null) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    return drain();
  }

  return {
    attach: attach as Reporter<S>['attach'],
    flush,
    stop() {
      stopped = true;
      for (const detach of [...detachers]) detach();
      detachers.clear();
      return flush();
    },
    stats() {
      const { sent, retried, overflow, rejected, retriesExhausted, reporterError } = counts;
      return {
        sent,
        retried,
        dropped: overflow + rejected + retriesExhausted + reporterError,
        pending: queue.length + inFlight.length,
        droppedBy: { overflow, rejected, retriesExhausted, reporterError },
      };
    },
  };
}
