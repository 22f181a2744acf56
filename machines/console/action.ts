// The console's own buttons that change things: idle → confirming → submitting → done | failed.
// The idempotency key is made when the operator opens the confirmation and kept through
// retries, so a double click or a retry after a lost answer acts once on the server.
import { assign, fromPromise, setup } from 'xstate';

export interface ActionResult { ok: boolean; message: string; data?: unknown }
export interface SubmitInput { idempotencyKey: string; fields: Record<string, string> }

const newKey = () => (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`).replaceAll('.', '');

export const consoleActionMachine = setup({
  types: {
    context: {} as { idempotencyKey: string; fields: Record<string, string>; result: ActionResult | null },
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
  context: { idempotencyKey: '', fields: {}, result: null },
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
        input: ({ context }) => ({ idempotencyKey: context.idempotencyKey, fields: context.fields }),
        onDone: [
          { guard: ({ event }) => event.output.ok, target: 'done', actions: assign({ result: ({ event }) => event.output }) },
          { target: 'failed', actions: assign({ result: ({ event }) => event.output }) },
        ],
        onError: {
          target: 'failed',
          actions: assign({ result: ({ event }) => ({ ok: false, message: `Network error: ${(event.error as Error).message}. Retry is safe.` }) }),
        },
      },
    },
    done: { on: { RESET: 'idle', REQUEST: { target: 'confirming', actions: assign({ idempotencyKey: () => newKey(), result: null }) } } },
    failed: {
      on: {
        RETRY: 'submitting',
        RESET: 'idle',
        REQUEST: { target: 'confirming', actions: assign({ idempotencyKey: () => newKey(), result: null }) },
      },
    },
  },
});
