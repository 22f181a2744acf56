import { fromPromise } from 'xstate';

// Deterministic stand-in for a fromPromise actor: each invocation waits until the test settles it.

export interface ScriptedCall<TInput, TOutput> {
  input: TInput;
  resolve: (output: TOutput) => void;
  reject: (error: unknown) => void;
  /** 'pending' until settled by the test or aborted by the machine leaving the invoking state. */
  status: 'pending' | 'resolved' | 'rejected' | 'aborted';
}

export function createScriptedActor<TOutput, TInput>() {
  const calls: ScriptedCall<TInput, TOutput>[] = [];
  let running = 0;
  let overlappingStarts = 0;

  const logic = fromPromise<TOutput, TInput>(
    ({ input, signal }) =>
      new Promise<TOutput>((resolve, reject) => {
        if (running > 0) overlappingStarts += 1;
        running += 1;
        const call: ScriptedCall<TInput, TOutput> = {
          input,
          status: 'pending',
          resolve: (output) => {
            if (call.status !== 'pending') return;
            call.status = 'resolved';
            running -= 1;
            resolve(output);
          },
          reject: (error) => {
            if (call.status !== 'pending') return;
            call.status = 'rejected';
            running -= 1;
            reject(error);
          },
        };
        signal.addEventListener('abort', () => {
          if (call.status !== 'pending') return;
          call.status = 'aborted';
          running -= 1;
        });
        calls.push(call);
      }),
  );

  return {
    logic,
    calls,
    /** The one call still waiting; throws if there is none, which means model and actor disagree. */
    pending(): ScriptedCall<TInput, TOutput> {
      const waiting = calls.filter((c) => c.status === 'pending');
      if (waiting.length !== 1) throw new Error(`Expected exactly one pending call, found ${waiting.length}`);
      return waiting[0]!;
    },
    get running() {
      return running;
    },
    /** Invocations started while another one of this actor was still running. */
    get overlappingStarts() {
      return overlappingStarts;
    },
  };
}

export type ScriptedActor<TOutput, TInput> = ReturnType<typeof createScriptedActor<TOutput, TInput>>;
