// What a running workflow is doing right now: its pending activities as Temporal's describe
// reports them (attempt, next retry, heartbeat, last worker, last failure with its stack trace)
// and its call stack, read with the SDK's built-in `__stack_trace` query.
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import protoPkg, { type google } from '@temporalio/proto';
import { decodePayloads, failureChain, type FailureLink, type WorkflowsT } from './history.server';

// The package is CommonJS: the console's ESM build reads it through its default export.
const proto = protoPkg.temporal;

export interface PendingActivity {
  activityId: string;
  activityType: string;
  /** SCHEDULED, STARTED, CANCEL_REQUESTED, PAUSED, PAUSE_REQUESTED. */
  state: string;
  attempt: number;
  /** 0 when the retry policy sets no limit. */
  maximumAttempts: number;
  scheduledTime: string | null;
  lastStartedTime: string | null;
  lastAttemptCompleteTime: string | null;
  /** When the next attempt starts, while the activity waits between attempts. */
  nextAttemptScheduleTime: string | null;
  expirationTime: string | null;
  lastHeartbeatTime: string | null;
  heartbeatDetails: unknown[];
  lastWorkerIdentity: string | null;
  lastFailure: FailureLink[] | null;
  paused: boolean;
  pauseReason: string | null;
}

const iso = (t: google.protobuf.ITimestamp | null | undefined) =>
  t?.seconds != null && Number(t.seconds) > 0 ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : null;

const stateName = (v: unknown) =>
  String(typeof v === 'number' ? proto.api.enums.v1.PendingActivityState[v] ?? v : v ?? '').replace(/^PENDING_ACTIVITY_STATE_/, '') || 'UNSPECIFIED';

/** The pending activities of a described workflow, as the page shows them. */
export function pendingActivities(d: WorkflowExecutionDescription, t: WorkflowsT): PendingActivity[] {
  return (d.raw.pendingActivities ?? []).map((a) => ({
    activityId: a.activityId ?? '',
    activityType: a.activityType?.name ?? '?',
    state: stateName(a.state),
    attempt: a.attempt ?? 0,
    maximumAttempts: a.maximumAttempts ?? 0,
    scheduledTime: iso(a.scheduledTime),
    lastStartedTime: iso(a.lastStartedTime),
    lastAttemptCompleteTime: iso(a.lastAttemptCompleteTime),
    nextAttemptScheduleTime: iso(a.nextAttemptScheduleTime),
    expirationTime: iso(a.expirationTime),
    lastHeartbeatTime: iso(a.lastHeartbeatTime),
    heartbeatDetails: decodePayloads(a.heartbeatDetails),
    lastWorkerIdentity: a.lastWorkerIdentity || null,
    lastFailure: a.lastFailure ? failureChain(a.lastFailure, t) : null,
    paused: Boolean(a.paused),
    pauseReason: a.pauseInfo?.manual?.reason ?? null,
  }));
}

/** Every workflow the TypeScript SDK runs answers this built-in query with its call stack. */
const stackTraceQuery: QueryDefinition<string, []> = { type: 'query', name: '__stack_trace' } as QueryDefinition<string, []>;

export type CallStack = { ok: true; stack: string } | { ok: false; reason: string };

/**
 * The call stack of a running workflow: where each of its coroutines is waiting. A query needs a
 * worker to answer, so it is bounded by a short deadline and a missing worker is said, not waited on.
 */
export async function callStack(client: Client, d: WorkflowExecutionDescription, t: WorkflowsT, timeoutMs = 3_000): Promise<CallStack> {
  if (d.status.name !== 'RUNNING') return { ok: false, reason: t('live.closedNoStack') };
  try {
    const stack = await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(d.workflowId, d.runId).query(stackTraceQuery));
    return { ok: true, stack };
  } catch (error) {
    return { ok: false, reason: t('live.stackTimeout', { seconds: timeoutMs / 1000, error: (error as Error).message }) };
  }
}
