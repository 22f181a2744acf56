// The request id between the console and the worker, outside workflow code: the client
// interceptor puts the current console request's id on each workflow start and signal (as the
// REQUEST_ID_HEADER Temporal header), and the activity interceptor reads it back so every log line
// of the activity carries `requestId` (temporal/workflows/request-id.interceptors.ts passes it on).
import type { Next, WorkflowClientInterceptor, WorkflowSignalInput, WorkflowSignalWithStartInput, WorkflowStartInput } from '@temporalio/client';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { currentRequestId } from '../ops/log/request-id.js';
import { REQUEST_ID_HEADER } from './workflows/wire-names';

function withRequestId<T extends { headers: Headers }>(input: T): T {
  const id = currentRequestId();
  return id ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) } } : input;
}

/** For the console's Temporal clients: starts and signals made while serving a request carry its id. */
export const requestIdClientInterceptor: WorkflowClientInterceptor = {
  startWithDetails: (input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>) => next(withRequestId(input)),
  start: (input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>) => next(withRequestId(input)),
  signal: (input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, 'signal'>) => next(withRequestId(input)),
  signalWithStart: (input: WorkflowSignalWithStartInput, next: Next<WorkflowClientInterceptor, 'signalWithStart'>) => next(withRequestId(input)),
};

/**
 * For the worker: an activity's log lines carry the request id its workflow received, if any, and
 * each execution that succeeds says so in one `info` line (failures are the SDK's "Activity failed").
 */
export const requestIdActivityInterceptor: ActivityInterceptorsFactory = (ctx) => {
  let requestId: string | undefined;
  return {
    inbound: {
      execute: async (input, next) => {
        const header = input.headers[REQUEST_ID_HEADER];
        requestId = header ? defaultPayloadConverter.fromPayload<string>(header) : undefined;
        const started = Date.now();
        const result = await next(input);
        ctx.log.info('activity completed', { durationMs: Date.now() - started });
        return result;
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) => next(requestId ? { ...attributes, requestId } : attributes),
    },
  };
};
