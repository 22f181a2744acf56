// What on-call and support can do to one workflow. Each function checks that the workflow
// belongs to the tenant and is in a state where the operation means something, so the
// operator gets a clear refusal instead of a gRPC error.
import type { Client, SignalDefinition, WorkflowExecutionDescription } from '@temporalio/client';
import protoPkg, { type temporal } from '@temporalio/proto';
import Long from 'long';
import { z } from 'zod';
import { ActionRefused, idempotencyKeySchema, refuseMissingTarget, runAuditedAction, type ActionSpec } from '../server/audited-action.server';
import type { TenantContext } from '../server/auth.server';
import { reasonOptional, reasonRequired } from '../server/fields';
import { temporalFor } from '../server/temporal.server';
import { serverT } from '../i18n/server-t.server';
import { describeEvents, historyTail, type WorkflowsT } from './history.server';
import { describeTenantWorkflow } from './list.server';
import { forgetRunChains } from './run-chains.server';
import { workflowStatusName } from './labels';

// The package is CommonJS: the console's ESM build reads it through its default export.
const proto = protoPkg.temporal;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const isOpen = (d: WorkflowExecutionDescription) => d.status.name === 'RUNNING';

async function requireOpen(client: Client, tenantId: string, workflowId: string, t: WorkflowsT) {
  const d = await describeTenantWorkflow(client, tenantId, workflowId);
  if (!isOpen(d)) {
    const status = workflowStatusName(d.status.name);
    throw new ActionRefused(t('actions.closed', { status: (status ? t(`status.${status}`) : d.status.name).toLowerCase() }));
  }
  return d;
}

/** `signal` is a contract's definition (temporal/workflows/*.contract.ts), never a name typed here. */
export async function signalWorkflow<Args extends unknown[]>(client: Client, tenantId: string, workflowId: string, signal: SignalDefinition<Args>, args: Args, t: WorkflowsT) {
  const d = await requireOpen(client, tenantId, workflowId, t);
  await client.workflow.getHandle(workflowId, d.runId).signal(signal, ...args);
  return { message: t('actions.signalSent', { name: signal.name }) };
}

export async function cancelWorkflow(client: Client, tenantId: string, workflowId: string, t: WorkflowsT): Promise<{ message: string }> {
  const d = await requireOpen(client, tenantId, workflowId, t);
  await client.workflow.getHandle(workflowId, d.runId).cancel();
  return { message: t('actions.cancelRequested') };
}

export async function terminateWorkflow(client: Client, tenantId: string, workflowId: string, reason: string, t: WorkflowsT): Promise<{ message: string }> {
  const d = await requireOpen(client, tenantId, workflowId, t);
  await client.workflow.getHandle(workflowId, d.runId).terminate(reason);
  return { message: t('actions.terminated') };
}

export interface ResetPoint {
  eventId: number;
  time: string | null;
  /** What happened last before this point, in the seed's terms ("activity envoyerEmail (bienvenue-trial) completed"). */
  after: string | null;
}

/**
 * The workflow tasks a run can be reset to, newest first, each with the business step it follows.
 * Read from the end of the history: `limit` tasks plus the one before them (so the oldest point
 * has what precedes it), and back to the scheduling of every activity that ends in that tail (so
 * each is named) — a page or two, whatever the history's length.
 */
export async function resetPoints(client: Client, workflowId: string, runId: string, t: WorkflowsT, limit = 20, pageSize = 200): Promise<ResetPoint[]> {
  const enough = (tail: HistoryEvent[]) => {
    if (tail.filter((e) => e.workflowTaskCompletedEventAttributes).length <= limit) return false;
    const first = Number(tail[0].eventId);
    return tail.every((e) => {
      const scheduled = e.activityTaskCompletedEventAttributes?.scheduledEventId ?? e.activityTaskFailedEventAttributes?.scheduledEventId
        ?? e.activityTaskTimedOutEventAttributes?.scheduledEventId ?? e.activityTaskStartedEventAttributes?.scheduledEventId;
      return scheduled == null || Number(scheduled) >= first;
    });
  };
  const tail = await historyTail(client, { workflowId, runId }, enough, { pageSize, maxEvents: Math.max(5_000, limit * 50) });
  const points: ResetPoint[] = [];
  let after: string | null = null;
  for (const e of describeEvents(tail, { t, attributes: false })) {
    if (e.type === 'WorkflowTaskCompleted') points.push({ eventId: e.eventId, time: e.time, after });
    else if (e.summary && e.category !== 'task') after = e.summary;
  }
  return points.reverse().slice(0, limit);
}

/**
 * Reset ("retry") to a workflow task: the last one by default. The run's signals are
 * reapplied, so nothing an operator or a user sent is lost. The idempotency key is the
 * request id, so Temporal itself refuses to reset twice for one click.
 */
export async function resetWorkflow(
  client: Client,
  tenantId: string,
  workflowId: string,
  reason: string,
  requestId: string,
  t: WorkflowsT,
  eventId?: number,
  exclude: { signals?: boolean; updates?: boolean } = {},
) {
  const d = await describeTenantWorkflow(client, tenantId, workflowId);
  const points = await resetPoints(client, workflowId, d.runId, t, 1000);
  if (points.length === 0) throw new ActionRefused(t('actions.noResetPoint'));
  const target = eventId ?? points[0].eventId;
  if (!points.some((p) => p.eventId === target)) throw new ActionRefused(t('actions.notAResetPoint', { eventId: target }), 400);
  const res = await client.connection.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId: d.runId },
    reason,
    workflowTaskFinishEventId: Long.fromNumber(target),
    requestId,
    identity: client.options.identity,
    // What happened after the point is reapplied to the new run unless excluded here.
    resetReapplyExcludeTypes: [
      ...(exclude.signals ? [proto.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL] : []),
      ...(exclude.updates ? [proto.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE] : []),
    ],
  });
  // The trials list groups a reset's runs and counts the workflow id once from this process's memory of them.
  forgetRunChains(tenantId);
  const excluded = exclude.signals && exclude.updates ? t('actions.excludedBoth') : exclude.signals ? t('actions.excludedSignals') : exclude.updates ? t('actions.excludedUpdates') : null;
  return { message: excluded ? t('actions.resetExcluding', { eventId: target, excluded }) : t('actions.reset', { eventId: target }), runId: res.runId };
}

/** The workflow page's operation form: cancel (reason optional), terminate or reset (reason required). */
export const workflowOpForm = z.discriminatedUnion('op', [
  z.object({ op: z.literal('cancel'), idempotencyKey: idempotencyKeySchema, reason: reasonOptional }),
  z.object({ op: z.literal('terminate'), idempotencyKey: idempotencyKeySchema, reason: reasonRequired }),
  z.object({
    op: z.literal('reset'),
    idempotencyKey: idempotencyKeySchema,
    reason: reasonRequired,
    eventId: z.coerce.number().int().positive().optional(),
    // Checkboxes: present ("on") when ticked.
    excludeSignals: z.literal('on').optional(),
    excludeUpdates: z.literal('on').optional(),
  }),
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
  const t = serverT(ctx.language, 'workflows');
  return auditedWorkflowAction(
    ctx,
    workflowId,
    {
      action: form.op,
      reason: form.reason,
      idempotencyKey: form.idempotencyKey,
      detail: form.op === 'reset' ? { eventId: form.eventId ?? 'last', excludeSignals: Boolean(form.excludeSignals), excludeUpdates: Boolean(form.excludeUpdates) } : undefined,
    },
    (client) =>
      form.op === 'cancel' ? cancelWorkflow(client, ctx.tenantId, workflowId, t)
      : form.op === 'terminate' ? terminateWorkflow(client, ctx.tenantId, workflowId, `${form.reason} (by ${ctx.email})`, t)
      : resetWorkflow(client, ctx.tenantId, workflowId, `${form.reason} (by ${ctx.email})`, form.idempotencyKey, t, form.eventId, {
        signals: Boolean(form.excludeSignals),
        updates: Boolean(form.excludeUpdates),
      }),
  );
}

// --- one pending activity: pause, unpause, reset (Temporal 1.29's activity APIs) ---------------

export const ACTIVITY_OPS = ['pause', 'unpause', 'reset'] as const;
export type ActivityOp = (typeof ACTIVITY_OPS)[number];

/** Pausing, unpausing or resetting an activity changes how a workflow runs: on-call's permission. */
export const ACTIVITY_OP_PERMISSION = 'reset:workflow' as const;

export const activityOpForm = z.object({
  op: z.enum(ACTIVITY_OPS),
  activityId: z.string().min(1).max(255),
  idempotencyKey: idempotencyKeySchema,
  reason: reasonRequired,
});
export type ActivityOpForm = z.infer<typeof activityOpForm>;

/**
 * Pause (no new attempt until unpaused; a running attempt finishes), unpause (the next attempt is
 * scheduled at once) or reset (attempts start again from 1, heartbeat cleared) one pending
 * activity of an open workflow of the session's tenant.
 */
export async function activityOp(client: Client, tenantId: string, workflowId: string, form: Omit<ActivityOpForm, 'idempotencyKey'> & { requestId: string }, t: WorkflowsT) {
  const d = await requireOpen(client, tenantId, workflowId, t);
  const pending = (d.raw.pendingActivities ?? []).find((a) => a.activityId === form.activityId);
  if (!pending) throw new ActionRefused(t('actions.activityNotPending', { id: form.activityId }), 404);
  if (form.op === 'pause' && pending.paused) throw new ActionRefused(t('actions.activityAlreadyPaused', { id: form.activityId }));
  if (form.op === 'unpause' && !pending.paused) throw new ActionRefused(t('actions.activityNotPaused', { id: form.activityId }));
  const base = { namespace: client.options.namespace, execution: { workflowId, runId: d.runId }, identity: client.options.identity, id: form.activityId };
  const name = pending.activityType?.name ?? form.activityId;
  const service = client.connection.workflowService;
  try {
    if (form.op === 'pause') await service.pauseActivity({ ...base, reason: form.reason, requestId: form.requestId });
    else if (form.op === 'unpause') await service.unpauseActivity(base);
    else await service.resetActivity({ ...base, resetHeartbeat: true });
  } catch (error) {
    // A server without the activity APIs (before 1.27, or with them disabled) says so plainly.
    const code = (error as { code?: number }).code;
    if (code === 12 || code === 7) throw new ActionRefused(t('actions.activityUnsupported', { op: form.op, error: (error as Error).message }), 409);
    throw error;
  }
  const done = { pause: 'actions.activityPaused', unpause: 'actions.activityUnpaused', reset: 'actions.activityReset' } as const;
  return { message: t(done[form.op], { name }) };
}

export function runActivityOp(ctx: TenantContext, workflowId: string, form: ActivityOpForm) {
  const t = serverT(ctx.language, 'workflows');
  return auditedWorkflowAction(
    ctx,
    workflowId,
    { action: `activity-${form.op}`, reason: form.reason, idempotencyKey: form.idempotencyKey, detail: { activityId: form.activityId } },
    (client) => activityOp(client, ctx.tenantId, workflowId, { op: form.op, activityId: form.activityId, reason: `${form.reason} (by ${ctx.email})`, requestId: form.idempotencyKey }, t),
  );
}
