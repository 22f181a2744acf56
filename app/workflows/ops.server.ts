// What on-call and support can do to one workflow. Each function checks that the workflow
// belongs to the tenant and is in a state where the operation means something, so the
// operator gets a clear refusal instead of a gRPC error.
import type { Client, SignalDefinition, WorkflowExecutionDescription } from '@temporalio/client';
import Long from 'long';
import { z } from 'zod';
import { ActionRefused, idempotencyKeySchema, refuseMissingTarget, runAuditedAction, type ActionSpec } from '../server/audited-action.server';
import type { TenantContext } from '../server/auth.server';
import { reasonOptional, reasonRequired } from '../server/fields';
import { temporalFor } from '../server/temporal.server';
import { describeTenantWorkflow } from './list.server';

const isOpen = (d: WorkflowExecutionDescription) => d.status.name === 'RUNNING';

async function requireOpen(client: Client, tenantId: string, workflowId: string) {
  const d = await describeTenantWorkflow(client, tenantId, workflowId);
  if (!isOpen(d)) throw new ActionRefused(`The workflow is ${d.status.name.toLowerCase()}: nothing to do on a closed workflow.`);
  return d;
}

/** `signal` is a contract's definition (temporal/workflows/*.contract.ts), never a name typed here. */
export async function signalWorkflow<Args extends unknown[]>(client: Client, tenantId: string, workflowId: string, signal: SignalDefinition<Args>, args: Args) {
  const d = await requireOpen(client, tenantId, workflowId);
  await client.workflow.getHandle(workflowId, d.runId).signal(signal, ...args);
  return { message: `Signal ${signal.name} sent.` };
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
    identity: client.options.identity,
  });
  return { message: `Reset to event ${target}: a new run started.`, runId: res.runId };
}

/** The workflow page's operation form: cancel (reason optional), terminate or reset (reason required). */
export const workflowOpForm = z.discriminatedUnion('op', [
  z.object({ op: z.literal('cancel'), idempotencyKey: idempotencyKeySchema, reason: reasonOptional }),
  z.object({ op: z.literal('terminate'), idempotencyKey: idempotencyKeySchema, reason: reasonRequired }),
  z.object({ op: z.literal('reset'), idempotencyKey: idempotencyKeySchema, reason: reasonRequired, eventId: z.coerce.number().int().positive().optional() }),
]);
export type WorkflowOp = z.infer<typeof workflowOpForm>;

export const WORKFLOW_OP_PERMISSION = { cancel: 'cancel:workflow', terminate: 'terminate:workflow', reset: 'reset:workflow' } as const;

/**
 * An audited action on one workflow of the session's tenant: another tenant's (or no) workflow
 * is a 404 before anything is recorded.
 */
export async function auditedWorkflowAction<T>(
  ctx: TenantContext,
  workflowId: string,
  spec: Omit<ActionSpec, 'targetType' | 'targetId'>,
  perform: (client: Client) => Promise<T>,
) {
  // The operator's own identity rides on every call, so Temporal's history says who did it.
  const client = await temporalFor(ctx);
  try {
    await describeTenantWorkflow(client, ctx.tenantId, workflowId);
  } catch (error) {
    if (error instanceof Response && error.status === 404) await refuseMissingTarget(ctx, { ...spec, targetType: 'workflow', targetId: workflowId });
    throw error;
  }
  return runAuditedAction(ctx, { ...spec, targetType: 'workflow', targetId: workflowId }, () => perform(client));
}

/** Cancel, terminate or reset one workflow of the session's tenant. */
export function runWorkflowOp(ctx: TenantContext, workflowId: string, form: WorkflowOp) {
  return auditedWorkflowAction(
    ctx,
    workflowId,
    { action: form.op, reason: form.reason, idempotencyKey: form.idempotencyKey, detail: form.op === 'reset' ? { eventId: form.eventId ?? 'last' } : undefined },
    (client) =>
      form.op === 'cancel' ? cancelWorkflow(client, ctx.tenantId, workflowId)
      : form.op === 'terminate' ? terminateWorkflow(client, ctx.tenantId, workflowId, `${form.reason} (by ${ctx.email})`)
      : resetWorkflow(client, ctx.tenantId, workflowId, `${form.reason} (by ${ctx.email})`, form.idempotencyKey, form.eventId),
  );
}
