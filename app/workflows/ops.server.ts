// What on-call and support can do to one workflow. Each function checks that the workflow
// belongs to the tenant and is in a state where the operation means something, so the
// operator gets a clear refusal instead of a gRPC error.
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import Long from 'long';
import { ActionRefused } from '../server/audited-action.server';
import { describeTenantWorkflow } from './list.server';

const isOpen = (d: WorkflowExecutionDescription) => d.status.name === 'RUNNING';

async function requireOpen(client: Client, tenantId: string, workflowId: string) {
  const d = await describeTenantWorkflow(client, tenantId, workflowId);
  if (!isOpen(d)) throw new ActionRefused(`The workflow is ${d.status.name.toLowerCase()}: nothing to do on a closed workflow.`);
  return d;
}

export async function signalWorkflow(client: Client, tenantId: string, workflowId: string, signal: string, args: unknown[]) {
  const d = await requireOpen(client, tenantId, workflowId);
  await client.workflow.getHandle(workflowId, d.runId).signal(signal, ...args);
  return { message: `Signal ${signal} sent.` };
}

export async function cancelWorkflow(client: Client, tenantId: string, workflowId: string) {
  const d = await requireOpen(client, tenantId, workflowId);
  await client.workflow.getHandle(workflowId, d.runId).cancel();
  return { message: 'Cancellation requested: the workflow runs its cleanup and then closes as canceled.' };
}

export async function terminateWorkflow(client: Client, tenantId: string, workflowId: string, reason: string) {
  const d = await requireOpen(client, tenantId, workflowId);
  await client.workflow.getHandle(workflowId, d.runId).terminate(reason);
  return { message: 'Workflow terminated.' };
}

export interface ResetPoint { eventId: number; time: string | null }

/** The workflow tasks a run can be reset to, newest first. */
export async function resetPoints(client: Client, workflowId: string, runId: string, limit = 20): Promise<ResetPoint[]> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const points: ResetPoint[] = [];
  for (const e of history.events ?? []) {
    if (e.workflowTaskCompletedEventAttributes) {
      const seconds = e.eventTime?.seconds ? Number(e.eventTime.seconds) : null;
      points.push({ eventId: Number(e.eventId), time: seconds ? new Date(seconds * 1000).toISOString() : null });
    }
  }
  return points.reverse().slice(0, limit);
}

/**
 * Reset ("retry") to a workflow task: the last one by default. The run's signals are
 * reapplied, so nothing an operator or a user sent is lost. The idempotency key is the
 * request id, so Temporal itself refuses to reset twice for one click.
 */
export async function resetWorkflow(client: Client, tenantId: string, workflowId: string, reason: string, requestId: string, eventId?: number) {
  const d = await describeTenantWorkflow(client, tenantId, workflowId);
  const points = await resetPoints(client, workflowId, d.runId, 1000);
  if (points.length === 0) throw new ActionRefused('This run has no completed workflow task to reset to yet.');
  const target = eventId ?? points[0].eventId;
  if (!points.some((p) => p.eventId === target)) throw new ActionRefused(`Event ${target} is not a workflow task of this run.`, 400);
  const res = await client.connection.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId: d.runId },
    reason,
    workflowTaskFinishEventId: Long.fromNumber(target),
    requestId,
  });
  return { message: `Reset to event ${target}: a new run started.`, runId: res.runId };
}
