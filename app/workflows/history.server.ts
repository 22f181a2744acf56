// One workflow's history, read page by page from Temporal (a 10k-event history is never loaded at
// once): the events with their attributes, the same events named in the seed's terms, the
// summary (input, result or failure with its cause chain) and the JSON download that the Temporal
// CLI and Worker.runReplayHistory read. Callers pass a workflow already checked against the tenant
// (describeTenantWorkflow) and its runId, so every call here names one run of that workflow.
import { createHmac, randomBytes } from 'node:crypto';
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TFunction } from 'i18next';
import protoPkg, { type google, type temporal } from '@temporalio/proto';
import { COMPENSATION_ACTIONS } from '../../finance/compensation-retry';
import { env } from '../server/env.server';

// The package is CommonJS: the console's ESM build reads it through its default export.
const proto = protoPkg.temporal;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure;
type Payloads = temporal.api.common.v1.IPayloads;

/** Words of the `workflows` namespace in the operator's language (serverT(ctx.language, 'workflows')). */
export type WorkflowsT = TFunction<'workflows'>;

const { EventType } = proto.api.enums.v1;
const HistoryEventType = proto.api.history.v1.HistoryEvent;

export const HISTORY_PAGE_SIZE = 100;

// --- proto3 JSON, as `temporal workflow show -o json` writes it -------------------------------

/** google.protobuf.Duration fields of the API (every other {seconds, nanos} is a Timestamp). */
const DURATION_FIELDS = new Set(
  ('approximateBacklogAge backoffDuration backoffStartInterval catchupWindow checkDuration cronScheduleToScheduleInterval currentRetryInterval ' +
    'defaultWorkflowTaskTimeout downloadUrlExpirationDuration duration elapsedSinceLastHeartbeat executionDuration fastForwardDuration ' +
    'firstWorkflowTaskBackoff heartbeatTimeout initialInterval initialSkippedDuration jitter localRetryThreshold maximumInterval ' +
    'namespaceDeleteDelay newWorkflowExecutionTimeout newWorkflowRunTimeout newWorkflowTaskTimeout nextRetryDelay scheduleToCloseTimeout ' +
    'scheduleToStartTimeout startDelay startToCloseTimeout startToFireTimeout totalDuration workflowExecutionRetentionPeriod ' +
    'workflowExecutionRetentionTtl workflowExecutionTimeout workflowRunTimeout workflowStartDelay workflowTaskTimeout').split(' '),
);

const isSecondsNanos = (v: object) => Object.keys(v).length > 0 && Object.keys(v).every((k) => k === 'seconds' || k === 'nanos');
/** Fractional seconds in groups of three digits, as Go's protojson writes them (.437991940). */
const nanos9 = (n: number) => String(n).padStart(9, '0').replace(/(000)+$/, '');

function durationJson(v: { seconds?: string | number; nanos?: number }) {
  const s = String(v.seconds ?? 0);
  const n = Math.abs(v.nanos ?? 0);
  return n ? `${s}.${nanos9(n)}s` : `${s}s`;
}

function timestampJson(v: { seconds?: string | number; nanos?: number }) {
  const base = new Date(Number(v.seconds ?? 0) * 1000).toISOString().slice(0, 19);
  const n = v.nanos ?? 0;
  return n ? `${base}.${nanos9(n)}Z` : `${base}Z`;
}

/** Timestamps and durations as proto3 JSON strings, whatever the depth. */
function wellKnown(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => wellKnown(v, key));
  if (value === null || typeof value !== 'object') return value;
  if (DURATION_FIELDS.has(key) && Object.keys(value).every((k) => k === 'seconds' || k === 'nanos')) return durationJson(value);
  if (isSecondsNanos(value)) return timestampJson(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellKnown(v, k)]));
}

/** One event as proto3 JSON: int64 as strings, enums by name, bytes in base64, well-known types as strings. */
export function eventToJson(event: HistoryEvent): Record<string, unknown> {
  const plain = HistoryEventType.toObject(HistoryEventType.fromObject(event), { longs: String, enums: String, bytes: String });
  return wellKnown(plain) as Record<string, unknown>;
}

// --- payloads and failures, as a person reads them ---------------------------------------------

/** A payload's value (JSON, text, null); a payload the console cannot decode says so. */
export function decodePayload(p: temporal.api.common.v1.IPayload | null | undefined): unknown {
  if (!p) return null;
  try {
    return defaultPayloadConverter.fromPayload(p);
  } catch {
    return `(${p.data?.length ?? 0} bytes, encoding ${p.metadata?.encoding ? Buffer.from(p.metadata.encoding).toString() : 'unknown'})`;
  }
}

export const decodePayloads = (ps: Payloads | null | undefined): unknown[] => (ps?.payloads ?? []).map(decodePayload);

/** A JSON payload object ({metadata: {encoding: b64}, data: b64}) read back for display. */
function decodeJsonPayload(v: { metadata?: Record<string, string>; data?: string }) {
  return decodePayload({
    metadata: Object.fromEntries(Object.entries(v.metadata ?? {}).map(([k, b]) => [k, Buffer.from(b, 'base64')])),
    data: Buffer.from(v.data ?? '', 'base64'),
  });
}

const isJsonPayload = (v: object): v is { metadata: Record<string, string>; data?: string } =>
  'metadata' in v && typeof (v as { metadata: unknown }).metadata === 'object' && Object.keys(v).every((k) => k === 'metadata' || k === 'data');

/** The proto3 JSON of an event's attributes with payloads decoded, for the event list. */
function readable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readable);
  if (value === null || typeof value !== 'object') return value;
  if (isJsonPayload(value)) return decodeJsonPayload(value);
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === 'payloads' && Array.isArray(entries[0][1])) return readable(entries[0][1]);
  return Object.fromEntries(entries.map(([k, v]) => [k, readable(v)]));
}

export interface FailureLink {
  message: string;
  /** ApplicationFailure type, or the kind of failure (ActivityFailure, TimeoutFailure …). */
  type: string;
  source: string | null;
  stackTrace: string | null;
  /** For an ActivityFailure: which activity and after which retry state. */
  detail: string | null;
}

function failureType(f: Failure): string {
  if (f.applicationFailureInfo) return f.applicationFailureInfo.type || 'ApplicationFailure';
  if (f.activityFailureInfo) return 'ActivityFailure';
  if (f.timeoutFailureInfo) return 'TimeoutFailure';
  if (f.canceledFailureInfo) return 'CancelledFailure';
  if (f.terminatedFailureInfo) return 'TerminatedFailure';
  if (f.serverFailureInfo) return 'ServerFailure';
  if (f.childWorkflowExecutionFailureInfo) return 'ChildWorkflowFailure';
  return 'Failure';
}

/** For an activity failure, which activity and after which retry state; a timeout's type; a child's workflow type. */
function failureDetail(f: Failure, t: WorkflowsT): string | null {
  if (f.applicationFailureInfo) return f.applicationFailureInfo.nonRetryable ? t('summary.nonRetryable') : null;
  if (f.activityFailureInfo) {
    const a = f.activityFailureInfo;
    return t('summary.activityDetail', { name: a.activityType?.name ?? '?', id: a.activityId ?? '?', retry: retryStateLabel(a.retryState, t) });
  }
  if (f.timeoutFailureInfo) return enumName(proto.api.enums.v1.TimeoutType, f.timeoutFailureInfo.timeoutType);
  if (f.childWorkflowExecutionFailureInfo) return f.childWorkflowExecutionFailureInfo.workflowType?.name ?? null;
  return null;
}

const enumName = (e: Record<string | number, string | number>, v: unknown) => (typeof v === 'number' ? String(e[v] ?? v) : String(v ?? ''));

/** Temporal's retry state, its own name (RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED: "maximum attempts reached"). */
function retryStateLabel(v: unknown, t: WorkflowsT) {
  const name = enumName(proto.api.enums.v1.RetryState, v).replace(/^RETRY_STATE_/, '').toLowerCase().replace(/_/g, ' ');
  return t('summary.retryState', { state: name || t('summary.unspecified') });
}

/** A failure and its causes, outermost first. */
export function failureChain(failure: Failure | null | undefined, t: WorkflowsT): FailureLink[] {
  const chain: FailureLink[] = [];
  for (let f = failure; f && chain.length < 20; f = f.cause) {
    chain.push({ message: f.message ?? '', type: failureType(f), source: f.source || null, stackTrace: f.stackTrace || null, detail: failureDetail(f, t) });
  }
  return chain;
}

/** The innermost message: for an activity failure, what the activity itself said. */
export const rootMessage = (failure: Failure | null | undefined) => {
  let root = failure;
  for (let depth = 0; root?.cause && depth < 19; depth++) root = root.cause;
  if (!root) return '';
  const type = failureType(root);
  return `${type === 'ActivityFailure' ? '' : `${type}: `}${root.message ?? ''}`;
};

// --- paging ------------------------------------------------------------------------------------

/**
 * A page token is Temporal's, bound to the tenant and run by an HMAC: a token copied from another
 * workflow (or forged) is refused like an unknown one.
 */
const g = globalThis as unknown as { __vigieHistorySecret?: string };
const secret = () => (g.__vigieHistorySecret ??= env().SESSION_SECRET ?? randomBytes(32).toString('base64url'));
const mac = (scope: string, token: Buffer) => createHmac('sha256', secret()).update(scope).update('\0').update(token).digest('base64url').slice(0, 22);

export function encodePageToken(scope: string, token: Uint8Array): string {
  const t = Buffer.from(token);
  return `${t.toString('base64url')}.${mac(scope, t)}`;
}

export function decodePageToken(scope: string, cursor: string): Buffer | null {
  const [t, m] = cursor.split('.');
  if (!t || !m) return null;
  const token = Buffer.from(t, 'base64url');
  return mac(scope, token) === m ? token : null;
}

export interface RunRef {
  tenantId: string;
  workflowId: string;
  runId: string;
}

const scopeOf = (run: RunRef) => `${run.tenantId}\0${run.workflowId}\0${run.runId}`;

/** Whether a page cursor was made for this run (checked before the page is read, so a bad one is a 400 at once). */
export const isHistoryCursor = (run: RunRef, cursor: string) => decodePageToken(scopeOf(run), cursor) !== null;

/** One raw page of events, oldest first. */
export async function rawHistoryPage(client: Client, run: RunRef, opts: { cursor?: string | null; pageSize?: number } = {}) {
  const token = opts.cursor ? decodePageToken(scopeOf(run), opts.cursor) : undefined;
  if (token === null) return { events: [] as HistoryEvent[], nextCursor: null, badCursor: true };
  const res = await client.connection.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: run.workflowId, runId: run.runId },
    maximumPageSize: opts.pageSize ?? HISTORY_PAGE_SIZE,
    nextPageToken: token,
  });
  const next = res.nextPageToken?.length ? encodePageToken(scopeOf(run), res.nextPageToken) : null;
  return { events: res.history?.events ?? [], nextCursor: next, badCursor: false };
}

/** All events of a run, page by page (for the download: one page in memory at a time). */
export async function* historyEvents(client: Client, run: RunRef, pageSize = 500): AsyncGenerator<HistoryEvent> {
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof rawHistoryPage>> = await rawHistoryPage(client, run, { cursor, pageSize });
    yield* page.events;
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * The newest events of a run, oldest first: pages read backwards from the end
 * (getWorkflowExecutionHistoryReverse) until `enough(tail)` holds, the first event is reached, or
 * `maxEvents` are read. What a page needs from the end of a long history costs a page, not the history.
 */
export async function historyTail(
  client: Client,
  run: Omit<RunRef, 'tenantId'>,
  enough: (tail: HistoryEvent[]) => boolean,
  opts: { pageSize?: number; maxEvents?: number } = {},
): Promise<HistoryEvent[]> {
  const newestFirst: HistoryEvent[] = [];
  let token: Uint8Array | undefined;
  for (;;) {
    const res = await client.connection.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId: run.workflowId, runId: run.runId },
      maximumPageSize: opts.pageSize ?? 200,
      nextPageToken: token,
    });
    newestFirst.push(...(res.history?.events ?? []));
    const tail = [...newestFirst].reverse();
    token = res.nextPageToken?.length ? res.nextPageToken : undefined;
    if (!token || enough(tail) || newestFirst.length >= (opts.maxEvents ?? 5_000)) return tail;
  }
}

/** The history as one JSON document `{"events": [...]}`, streamed page by page. */
export function historyJsonStream(client: Client, run: RunRef): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const events = historyEvents(client, run);
  let first = true;
  return new ReadableStream({
    async start(controller) {
      controller.enqueue(encoder.encode('{"events":['));
    },
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done) {
          controller.enqueue(encoder.encode(']}\n'));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(`${first ? '\n' : ',\n'}${JSON.stringify(eventToJson(next.value))}`));
        first = false;
      } catch (error) {
        controller.error(error);
      }
    },
  });
}

// --- events, named ------------------------------------------------------------------------------

export type EventCategory = 'workflow' | 'task' | 'activity' | 'timer' | 'signal' | 'child' | 'other';

export interface EventRow {
  eventId: number;
  time: string | null;
  /** The event type without its prefix, as the Temporal UI names it: ActivityTaskFailed. */
  type: string;
  category: EventCategory;
  /** What happened, in the seed's terms; null for bookkeeping events (workflow tasks). */
  summary: string | null;
  /** True for what an on-call engineer looks for first: failures, timeouts, terminations. */
  problem: boolean;
  attributes: unknown;
}

export function eventTypeName(event: HistoryEvent): string {
  const raw = enumName(EventType, event.eventType);
  return raw.replace(/^EVENT_TYPE_/, '').toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

export const toIso = (t: google.protobuf.ITimestamp | null | undefined) =>
  t?.seconds != null ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : null;

function categoryOf(type: string): EventCategory {
  if (type.startsWith('WorkflowTask')) return 'task';
  if (type.startsWith('ActivityTask')) return 'activity';
  if (type.startsWith('Timer')) return 'timer';
  if (type.includes('Signal')) return 'signal';
  if (type.includes('ChildWorkflow')) return 'child';
  if (type.startsWith('WorkflowExecution')) return 'workflow';
  return 'other';
}

interface ScheduledActivity { name: string; label: string }

/** The activity as the seed names it: `envoyerEmail (bienvenue-trial)`, `compensation rembourserAcheteur`. */
export function activityLabel(name: string, input: unknown[], t: WorkflowsT): string {
  const arg = input[0] as { template?: unknown } | undefined;
  if ((COMPENSATION_ACTIONS as readonly string[]).includes(name)) return t('events.compensation', { name });
  if (arg && typeof arg.template === 'string') return t('events.activityTemplate', { name, template: arg.template });
  return t('events.activity', { name });
}

/**
 * Names each event of a page in the operator's language (`opts.t`), around the seed's names;
 * `known` carries scheduled activities seen on earlier pages of the same read.
 */
export function describeEvents(events: HistoryEvent[], opts: { t: WorkflowsT; attributes?: boolean; known?: Map<number, ScheduledActivity> }): EventRow[] {
  const { t } = opts;
  const known = opts.known ?? new Map<number, ScheduledActivity>();
  const withAttributes = opts.attributes ?? true;
  const activity = (scheduledEventId: unknown) =>
    known.get(Number(scheduledEventId))?.label ?? t('events.activityAt', { eventId: Number(scheduledEventId) });
  const by = (identity: string | null | undefined) => (identity ? t('events.byIdentity', { identity }) : '');
  return events.map((e) => {
    const type = eventTypeName(e);
    const id = Number(e.eventId);
    let summary: string | null = null;
    let problem = false;
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      summary = t('events.started', { type: a.workflowType?.name ?? '?', queue: a.taskQueue?.name ?? '?', by: by(a.identity) });
    } else if (e.workflowExecutionCompletedEventAttributes) summary = t('events.completed');
    else if (e.workflowExecutionFailedEventAttributes) {
      summary = t('events.failed', { message: rootMessage(e.workflowExecutionFailedEventAttributes.failure) });
      problem = true;
    } else if (e.workflowExecutionTimedOutEventAttributes) {
      summary = t('events.timedOut');
      problem = true;
    } else if (e.workflowExecutionTerminatedEventAttributes) {
      const a = e.workflowExecutionTerminatedEventAttributes;
      summary = t('events.terminated', { by: by(a.identity), reason: a.reason ? `: ${a.reason}` : '' });
      problem = true;
    } else if (e.workflowExecutionCancelRequestedEventAttributes) {
      const a = e.workflowExecutionCancelRequestedEventAttributes;
      summary = t('events.cancelRequested', { by: by(a.identity) });
    } else if (e.workflowExecutionCanceledEventAttributes) summary = t('events.canceled');
    else if (e.workflowExecutionContinuedAsNewEventAttributes) summary = t('events.continuedAsNew', { runId: e.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId ?? '' });
    else if (e.workflowExecutionSignaledEventAttributes) {
      const a = e.workflowExecutionSignaledEventAttributes;
      summary = t('events.signaled', { name: a.signalName ?? '?', from: a.identity ? t('events.fromIdentity', { identity: a.identity }) : '' });
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const name = a.activityType?.name ?? '?';
      const label = activityLabel(name, decodePayloads(a.input), t);
      known.set(id, { name, label });
      summary = t('events.activityScheduled', { activity: label });
    } else if (e.activityTaskStartedEventAttributes) {
      const a = e.activityTaskStartedEventAttributes;
      summary = t('events.activityStarted', { activity: activity(a.scheduledEventId), attempt: a.attempt ?? 1, worker: a.identity ? t('events.workerIdentity', { identity: a.identity }) : '' });
    } else if (e.activityTaskCompletedEventAttributes) summary = t('events.activityCompleted', { activity: activity(e.activityTaskCompletedEventAttributes.scheduledEventId) });
    else if (e.activityTaskFailedEventAttributes) {
      const a = e.activityTaskFailedEventAttributes;
      summary = t('events.activityFailed', { activity: activity(a.scheduledEventId), message: rootMessage(a.failure) });
      problem = true;
    } else if (e.activityTaskTimedOutEventAttributes) {
      summary = t('events.activityTimedOut', { activity: activity(e.activityTaskTimedOutEventAttributes.scheduledEventId) });
      problem = true;
    } else if (e.activityTaskCancelRequestedEventAttributes) summary = t('events.activityCancelRequested', { activity: activity(e.activityTaskCancelRequestedEventAttributes.scheduledEventId) });
    else if (e.activityTaskCanceledEventAttributes) summary = t('events.activityCanceled', { activity: activity(e.activityTaskCanceledEventAttributes.scheduledEventId) });
    else if (e.timerStartedEventAttributes) {
      const a = e.timerStartedEventAttributes;
      const ms = Number(a.startToFireTimeout?.seconds ?? 0) * 1000 + Math.floor((a.startToFireTimeout?.nanos ?? 0) / 1e6);
      const at = toIso(e.eventTime);
      summary = t('events.timerStarted', { id: a.timerId ?? '', duration: formatMs(ms, t), until: at ? t('events.timerUntil', { at: new Date(Date.parse(at) + ms).toISOString() }) : '' });
    } else if (e.timerFiredEventAttributes) summary = t('events.timerFired', { id: e.timerFiredEventAttributes.timerId ?? '' });
    else if (e.timerCanceledEventAttributes) summary = t('events.timerCanceled', { id: e.timerCanceledEventAttributes.timerId ?? '' });
    else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {};
      summary = t('events.searchAttributes', { fields: Object.entries(fields).map(([k, v]) => `${k} = ${JSON.stringify(decodePayload(v))}`).join(', ') });
    } else if (e.workflowTaskFailedEventAttributes) {
      summary = t('events.taskFailed', { message: rootMessage(e.workflowTaskFailedEventAttributes.failure) });
      problem = true;
    } else if (e.workflowTaskTimedOutEventAttributes) {
      summary = t('events.taskTimedOut');
      problem = true;
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) summary = t('events.updateAccepted', { name: e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name ?? '' });
    else if (e.markerRecordedEventAttributes) summary = t('events.marker', { name: e.markerRecordedEventAttributes.markerName ?? '' });
    else if (e.startChildWorkflowExecutionInitiatedEventAttributes) summary = t('events.childStarted', { id: e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId ?? '' });
    return {
      eventId: id,
      time: toIso(e.eventTime),
      type,
      category: categoryOf(type),
      summary,
      problem,
      attributes: withAttributes ? attributesOf(e) : null,
    };
  });
}

/** An event's attributes as proto3 JSON with payloads decoded (the costly part of naming a page). */
function attributesOf(e: HistoryEvent): unknown {
  const json = eventToJson(e);
  const key = Object.keys(json).find((k) => k.endsWith('EventAttributes'));
  return key ? readable(json[key]) : null;
}

function formatMs(ms: number, t: WorkflowsT) {
  if (ms % 86_400_000 === 0 && ms > 0) return `${ms / 86_400_000} ${t('units.day')}`;
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** A page of the event list, named; `attributes: false` when only the names are shown (the business view). */
export async function historyPage(client: Client, run: RunRef, opts: { t: WorkflowsT; cursor?: string | null; pageSize?: number; attributes?: boolean }) {
  const page = await rawHistoryPage(client, run, opts);
  return { events: describeEvents(page.events, { t: opts.t, attributes: opts.attributes }), nextCursor: page.nextCursor, badCursor: page.badCursor };
}

// --- summary ------------------------------------------------------------------------------------

export interface WorkflowSummary {
  input: unknown[];
  /** The result of a completed run. */
  result: unknown[] | null;
  /** The failure of a failed run (or the reason of a terminated one), outermost first. */
  failure: FailureLink[] | null;
  closeEvent: string | null;
  historySizeBytes: number | null;
  stateTransitionCount: number | null;
  memo: Record<string, unknown>;
  parent: { workflowId: string; runId: string } | null;
  /** Runs of the same workflow id chained to this one (continue-as-new, reset, retry). */
  firstRunId: string | null;
}

/**
 * A run's first event (its input). The workflow page reads it beside describe(), one round trip less
 * before it can be sent; without a run id Temporal reads the latest run, so workflowSummary keeps
 * that event only when it is the described run's.
 */
export async function readStartedEvent(client: Client, execution: { workflowId: string; runId?: string }): Promise<HistoryEvent | null> {
  const res = await client.connection.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution, maximumPageSize: 1 });
  return res.history?.events?.[0] ?? null;
}

/**
 * Input, result or failure and the description's counts: two small history reads (first and close
 * event); `started`, the first event read early by readStartedEvent, saves the first.
 */
export async function workflowSummary(client: Client, d: WorkflowExecutionDescription, t: WorkflowsT, started?: Promise<HistoryEvent | null>): Promise<WorkflowSummary> {
  const execution = { workflowId: d.workflowId, runId: d.runId };
  const open = d.status.name === 'RUNNING';
  // A run's own started event names it as its original run; a reset run's is its base run's (the
  // reset copies it), so that one is read again by run id.
  const ours = (e: HistoryEvent | null | undefined) => (e?.workflowExecutionStartedEventAttributes?.originalExecutionRunId === d.runId ? e : null);
  const [first, close] = await Promise.all([
    (started ?? Promise.resolve(null)).then((e) => ours(e) ?? readStartedEvent(client, execution)),
    open ? null
    : client.connection.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution,
      historyEventFilterType: proto.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
    }),
  ]);
  const startedAttributes = first?.workflowExecutionStartedEventAttributes;
  const closing = close?.history?.events?.[0];
  const failure =
    closing?.workflowExecutionFailedEventAttributes ? failureChain(closing.workflowExecutionFailedEventAttributes.failure, t)
    : closing?.workflowExecutionTerminatedEventAttributes ? [{ message: closing.workflowExecutionTerminatedEventAttributes.reason ?? '', type: 'Terminated', source: null, stackTrace: null, detail: closing.workflowExecutionTerminatedEventAttributes.identity ? t('summary.terminatedBy', { identity: closing.workflowExecutionTerminatedEventAttributes.identity }) : null }]
    : closing?.workflowExecutionTimedOutEventAttributes ? [{ message: t('summary.timedOut'), type: 'TimeoutFailure', source: null, stackTrace: null, detail: retryStateLabel(closing.workflowExecutionTimedOutEventAttributes.retryState, t) }]
    : closing?.workflowExecutionCanceledEventAttributes ? [{ message: t('summary.canceled'), type: 'CancelledFailure', source: null, stackTrace: null, detail: null }]
    : null;
  const info = d.raw.workflowExecutionInfo;
  const memo = Object.fromEntries(Object.entries(info?.memo?.fields ?? {}).map(([k, v]) => [k, decodePayload(v)]));
  return {
    input: decodePayloads(startedAttributes?.input),
    result: closing?.workflowExecutionCompletedEventAttributes ? decodePayloads(closing.workflowExecutionCompletedEventAttributes.result) : null,
    failure,
    closeEvent: closing ? eventTypeName(closing) : null,
    historySizeBytes: info?.historySizeBytes != null ? Number(info.historySizeBytes) : null,
    stateTransitionCount: info?.stateTransitionCount != null ? Number(info.stateTransitionCount) : null,
    memo,
    parent: info?.parentExecution?.workflowId ? { workflowId: info.parentExecution.workflowId, runId: info.parentExecution.runId ?? '' } : null,
    firstRunId: startedAttributes?.firstExecutionRunId ?? null,
  };
}
