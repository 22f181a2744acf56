// The console's own buttons that change things: idle → confirming → submitting → done | failed.
// The idempotency key is made when the operator opens the confirmation and kept through
// retries, so a double click or a retry after a lost answer acts once on the server. Retry is
// offered only for failures a retry can fix (network, 5xx, timeout).
import { assign, fromPromise, setup } from 'xstate';

/**
 * How a failure can be met: `retryable` — the network or the server failed (a 5xx, a timeout),
 * the same request again may work; `stale` — the target changed since the page was loaded (a
 * closed workflow, a refund cap reached, an incident already resolved): asking again cannot
 * help, the page must show the current state; `refused` — the request itself is not allowed or
 * not valid. Only `retryable` offers Retry.
 */
export type FailureKind = 'retryable' | 'stale' | 'refused';

export interface ActionResult { ok: boolean; message: string; data?: unknown; failure?: FailureKind }

/** The failure kind of an HTTP answer that is not a success. */
export function failureKindOf(status: number): FailureKind {
  if (status >= 500 || status === 408) return 'retryable';
  if (status === 409 || status === 404 || status === 410 || status === 412) return 'stale';
  return 'refused';
}
/** What the submit actor sends: to `target` (the actor's input, e.g. the action's URL), with the key and the confirmed fields. */
export interface SubmitInput { target: string; idempotencyKey: string; fields: Record<string, string> }

const newKey = () => (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`).replaceAll('.', '');

export const consoleActionMachine = setup({
  types: {
    context: {} as { target: string; idempotencyKey: string; fields: Record<string, string>; result: ActionResult | null },
    // Where the action goes, given when the actor starts: one machine (one provided submit actor)
    // serves every button, instead of a machine provided per button at every render.
    input: {} as { target: string } | undefined,
    events: {} as
      | { type: 'REQUEST' }
      | { type: 'CONFIRM'; fields: Record<string, string> }
      | { type: 'CANCEL' }
      | { type: 'RETRY' }
      | { type: 'RESET' },
  },
  actors: {
    submit: fromPromise<ActionResult, SubmitInput>(async () => {
      throw new Error('provide a submit actor with machine.provide');
    }),
  },
}).createMachine({
  id: 'consoleAction',
  initial: 'idle',
  context: ({ input }) => ({ target: input?.target ?? '', idempotencyKey: '', fields: {}, result: null }),
  states: {
    idle: {
      on: { REQUEST: { target: 'confirming', actions: assign({ idempotencyKey: () => newKey(), result: null }) } },
    },
    confirming: {
      on: {
        CONFIRM: { target: 'submitting', actions: assign({ fields: ({ event }) => event.fields }) },
        CANCEL: 'idle',
      },
    },
    submitting: {
      // No event leaves this state but the answer: a second click has nothing to send.
      invoke: {
        src: 'submit',
        input: ({ context }) => ({ target: context.target, idempotencyKey: context.idempotencyKey, fields: context.fields }),
        onDone: [
          { guard: ({ event }) => event.output.ok, target: 'done', actions: assign({ result: ({ event }) => event.output }) },
          { target: 'failed', actions: assign({ result: ({ event }) => event.output }) },
        ],
        onError: {
          target: 'failed',
          actions: assign({ result: ({ event }) => ({ ok: false, failure: 'retryable' as const, message: `Network error: ${(event.error as Error).message}. Retry is safe.` }) }),
        },
      },
    },
    done: { on: { RESET: 'idle', REQUEST: { target: 'confirming', actions: assign({ idempotencyKey: () => newKey(), result: null }) } } },
    failed: {
      on: {
        // The same key again, so the server runs it at most once; only where a retry can help.
        RETRY: { guard: ({ context }) => context.result?.failure === 'retryable', target: 'submitting' },
        RESET: 'idle',
        REQUEST: { target: 'confirming', actions: assign({ idempotencyKey: () => newKey(), result: null }) },
      },
    },
  },
});
