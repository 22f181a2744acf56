import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { consoleActionMachine, failureKindOf, type ActionResult, type SubmitInput } from './action';

function harness(answer: (input: SubmitInput) => Promise<ActionResult>) {
  const calls: SubmitInput[] = [];
  const machine = consoleActionMachine.provide({
    actors: { submit: fromPromise<ActionResult, SubmitInput>(({ input }) => { calls.push(input); return answer(input); }) },
  });
  return { actor: createActor(machine, { input: { target: '/t/acme/workflows/w-1/op' } }).start(), calls };
}

describe('console action machine', () => {
  it('sends once however often CONFIRM is clicked while submitting', async () => {
    let release!: (r: ActionResult) => void;
    const { actor, calls } = harness(() => new Promise((r) => (release = r)));
    actor.send({ type: 'REQUEST' });
    actor.send({ type: 'CONFIRM', fields: { reason: 'x' } });
    actor.send({ type: 'CONFIRM', fields: { reason: 'x' } });
    actor.send({ type: 'REQUEST' });
    expect(actor.getSnapshot().value).toBe('submitting');
    release({ ok: true, message: 'done' });
    await waitFor(actor, (s) => s.matches('done'));
    expect(calls).toHaveLength(1);
    // Sent where the actor was told at its start, with what was confirmed.
    expect(calls[0]).toMatchObject({ target: '/t/acme/workflows/w-1/op', fields: { reason: 'x' } });
  });

  it('retries a failure with the same idempotency key, and a new request gets a new key', async () => {
    let n = 0;
    const { actor, calls } = harness(async () => (++n === 1 ? Promise.reject(new Error('offline')) : { ok: true, message: 'ok' }));
    actor.send({ type: 'REQUEST' });
    actor.send({ type: 'CONFIRM', fields: {} });
    await waitFor(actor, (s) => s.matches('failed'));
    expect(actor.getSnapshot().context.result?.message).toMatch(/Retry is safe/);
    actor.send({ type: 'RETRY' });
    await waitFor(actor, (s) => s.matches('done'));
    expect(calls[0].idempotencyKey).toBe(calls[1].idempotencyKey);
    actor.send({ type: 'REQUEST' });
    actor.send({ type: 'CONFIRM', fields: {} });
    await waitFor(actor, (s) => s.matches('done'));
    expect(calls[2].idempotencyKey).not.toBe(calls[0].idempotencyKey);
  });

  it('a refusal from the server is a failure shown as is, and offers no retry', async () => {
    const { actor, calls } = harness(async () => ({ ok: false, failure: 'refused', message: 'Reason is required' }));
    actor.send({ type: 'REQUEST' });
    actor.send({ type: 'CANCEL' });
    expect(actor.getSnapshot().value).toBe('idle');
    actor.send({ type: 'REQUEST' });
    actor.send({ type: 'CONFIRM', fields: {} });
    await waitFor(actor, (s) => s.matches('failed'));
    expect(actor.getSnapshot().context.result).toEqual({ ok: false, failure: 'refused', message: 'Reason is required' });
    actor.send({ type: 'RETRY' });
    expect(actor.getSnapshot().value).toBe('failed');
    expect(calls).toHaveLength(1);
  });

  it('a target that changed (stale) cannot be retried; a 5xx can, with the same key', async () => {
    const answers: ActionResult[] = [
      { ok: false, failure: 'stale', message: 'The workflow is terminated: nothing to do on a closed workflow.' },
      { ok: false, failure: 'retryable', message: 'The action failed: Temporal unavailable' },
      { ok: true, message: 'Signal sent.' },
    ];
    const { actor, calls } = harness(async () => answers.shift()!);
    actor.send({ type: 'REQUEST' });
    actor.send({ type: 'CONFIRM', fields: {} });
    await waitFor(actor, (s) => s.matches('failed'));
    actor.send({ type: 'RETRY' });
    expect(actor.getSnapshot().value).toBe('failed');
    expect(calls).toHaveLength(1);
    actor.send({ type: 'REQUEST' });
    actor.send({ type: 'CONFIRM', fields: {} });
    await waitFor(actor, (s) => s.matches('failed') && s.context.result?.failure === 'retryable');
    actor.send({ type: 'RETRY' });
    await waitFor(actor, (s) => s.matches('done'));
    expect(calls).toHaveLength(3);
    expect(calls[2]!.idempotencyKey).toBe(calls[1]!.idempotencyKey);
    expect(calls[1]!.idempotencyKey).not.toBe(calls[0]!.idempotencyKey);
  });

  it('reads an HTTP status as the failure kind the dialog shows', () => {
    expect([500, 502, 503, 504, 408].map(failureKindOf)).toEqual(Array(5).fill('retryable'));
    expect([409, 404, 410, 412].map(failureKindOf)).toEqual(Array(4).fill('stale'));
    expect([400, 401, 403, 413, 422, 429].map(failureKindOf)).toEqual(Array(6).fill('refused'));
  });
});
