// Starting Vigie's workflows from a client (the console, the signup and order APIs). The
// business id is the workflow id, and a repeated start returns the workflow already there:
// a double submit or a retried request never starts a second trial or a second charge.
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { loadTemporalEnv } from './config';
import { OnboardingPhase, OrderId, SagaStatus, Subscribed, TenantId, TrialDay } from './search-attributes';
import type { workflowOnboardingTrial } from './workflows/onboarding';
import type { workflowPaiementMarketplace } from './workflows/payment';
import { ONBOARDING_WORKFLOW_TYPE, onboardingWorkflowId, type EntréeOnboarding } from './workflows/onboarding.contract';
import { PAYMENT_WORKFLOW_TYPE, paymentWorkflowId, type EntréePaiement } from './workflows/payment.contract';

export interface StartOptions {
  /** Default: TEMPORAL_TASK_QUEUE from the environment. */
  taskQueue?: string;
  /** Notes for people, shown with the workflow (the demo's accelerated clocks say so here). */
  memo?: Record<string, string>;
}

export class TenantMismatchError extends Error {
  override name = 'TenantMismatchError';
}

export async function startOnboarding(client: Client, input: EntréeOnboarding, opts: StartOptions = {}): Promise<WorkflowHandle<typeof workflowOnboardingTrial>> {
  const workflowId = onboardingWorkflowId(input.utilisateurId);
  return startOnce(client, workflowId, input.tenantId, () =>
    client.workflow.start<typeof workflowOnboardingTrial>(ONBOARDING_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: opts.taskQueue ?? loadTemporalEnv().TEMPORAL_TASK_QUEUE,
      args: [input],
      // A trial that ended stays ended: signing up again must not restart it.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...(opts.memo ? { memo: opts.memo } : {}),
      typedSearchAttributes: [
        { key: TenantId, value: input.tenantId },
        { key: OnboardingPhase, value: 'inscription' },
        { key: TrialDay, value: 0 },
        { key: Subscribed, value: false },
      ],
    }),
  );
}

export async function startPaymentSaga(client: Client, input: EntréePaiement, opts: StartOptions = {}): Promise<WorkflowHandle<typeof workflowPaiementMarketplace>> {
  const workflowId = paymentWorkflowId(input.commandeId);
  return startOnce(client, workflowId, input.tenantId, () =>
    client.workflow.start<typeof workflowPaiementMarketplace>(PAYMENT_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: opts.taskQueue ?? loadTemporalEnv().TEMPORAL_TASK_QUEUE,
      args: [input],
      // One order is paid once, whatever became of the first saga: reruns go through a reset.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: TenantId, value: input.tenantId },
        { key: OrderId, value: input.commandeId },
        { key: SagaStatus, value: 'en_cours' },
      ],
    }),
  );
}

/** Starts, or returns the existing workflow of that id — only if it belongs to the same tenant. */
async function startOnce<H extends WorkflowHandle>(client: Client, workflowId: string, tenantId: string, start: () => Promise<H>): Promise<H> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const handle = client.workflow.getHandle(workflowId) as H;
    const { typedSearchAttributes } = await handle.describe();
    if (typedSearchAttributes.get(TenantId) !== tenantId) {
      throw new TenantMismatchError(`workflow ${workflowId} exists for another tenant`);
    }
    return handle;
  }
}
