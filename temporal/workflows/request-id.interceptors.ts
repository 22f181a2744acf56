// Workflow interceptors (bundled with the workflows, see WORKFLOW_INTERCEPTOR_MODULES in the worker):
// the request id a console start or signal carried in its Temporal header goes on the activities
// scheduled after it, until another start or signal brings its own. A workflow started or signalled
// outside the console (a script, a batch job) carries none and passes none. Headers are not part of
// what replay compares, so recorded histories replay the same with or without them.
import type { Next, WorkflowInboundCallsInterceptor, WorkflowInterceptorsFactory, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import type { ActivityInput, SignalInput, WorkflowExecuteInput } from '@temporalio/workflow';
import type { Payload } from '@temporalio/common';
import { REQUEST_ID_HEADER } from './wire-names';

class RequestIdPropagation implements WorkflowInboundCallsInterceptor, WorkflowOutboundCallsInterceptor {
  private cause: Payload | undefined;

  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
    this.cause = input.headers[REQUEST_ID_HEADER];
    return next(input);
  }

  async handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>) {
    if (input.headers[REQUEST_ID_HEADER]) this.cause = input.headers[REQUEST_ID_HEADER];
    return next(input);
  }

  async scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    return next(this.cause ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: this.cause } } : input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  const propagation = new RequestIdPropagation();
  return { inbound: [propagation], outbound: [propagation] };
};
