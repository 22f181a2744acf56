// One run's timeline: its activities, timers, signals and child workflows as spans over time,
// built from the event history (read page by page, at most TIMELINE_MAX_EVENTS events) and named
// like the business view ("activity envoyerEmail (aide-activation)", "compensation rembourserAcheteur").
// An open timer is drawn up to the time it will fire: the sleep until the workflow's next step.
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { activityLabel, decodePayloads, historyEvents, rootMessage, toIso, type RunRef, type WorkflowsT } from './history.server';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A 2,000-event history is read in four pages; beyond this the timeline says it stops. */
export const TIMELINE_MAX_EVENTS = 5_000;

export type SpanKind = 'workflow' | 'activity' | 'timer' | 'signal' | 'child';
export type SpanOutcome = 'completed' | 'failed' | 'timed out' | 'canceled' | 'fired' | 'running' | 'waiting' | 'received' | 'terminated';

export interface TimelineSpan {
  /** Stable within the run: the event that opened the span. */
  id: string;
  kind: SpanKind;
  label: string;
  start: string;
  /** When it ended; null while it is still open. */
  end: string | null;
  /** An open timer: when it will fire. */
  plannedEnd: string | null;
  outcome: SpanOutcome;
  /** For an activity: the attempt that ended it (or the one running). */
  attempt: number | null;
  /** What failed, in the activity's own words. */
  detail: string | null;
}

export interface Timeline {
  spans: TimelineSpan[];
  /** The first and last instants to draw (the end includes open timers' planned fire times). */
  from: string;
  to: string;
  /** Events read; `truncated` when the history is longer than TIMELINE_MAX_EVENTS. */
  eventsRead: number;
  truncated: boolean;
}

const ms = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  d ? Number(d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6) : 0;

/** Spans from events in order (pure: tested on recorded histories). `now` closes nothing; it bounds the drawing. */
export function timelineOf(events: HistoryEvent[], now: Date, t: WorkflowsT, truncated = false): Timeline {
  const spans: TimelineSpan[] = [];
  const byScheduled = new Map<number, TimelineSpan>();
  const timers = new Map<string, TimelineSpan>();
  const children = new Map<number, TimelineSpan>();
  let workflow: TimelineSpan | null = null;
  const close = (span: TimelineSpan | null | undefined, at: string | null, outcome: SpanOutcome, detail: string | null = null) => {
    if (!span || span.end) return;
    span.end = at;
    span.outcome = outcome;
    span.plannedEnd = null;
    if (detail) span.detail = detail;
  };
  for (const e of events) {
    const at = toIso(e.eventTime) ?? now.toISOString();
    const id = Number(e.eventId);
    if (e.workflowExecutionStartedEventAttributes) {
      workflow = { id: `e${id}`, kind: 'workflow', label: t('timeline.labels.workflow', { name: e.workflowExecutionStartedEventAttributes.workflowType?.name ?? '' }), start: at, end: null, plannedEnd: null, outcome: 'running', attempt: null, detail: null };
      spans.push(workflow);
    } else if (e.workflowExecutionCompletedEventAttributes || e.workflowExecutionContinuedAsNewEventAttributes) close(workflow, at, 'completed');
    else if (e.workflowExecutionFailedEventAttributes) close(workflow, at, 'failed', rootMessage(e.workflowExecutionFailedEventAttributes.failure));
    else if (e.workflowExecutionTimedOutEventAttributes) close(workflow, at, 'timed out');
    else if (e.workflowExecutionCanceledEventAttributes) close(workflow, at, 'canceled');
    else if (e.workflowExecutionTerminatedEventAttributes) close(workflow, at, 'terminated', e.workflowExecutionTerminatedEventAttributes.reason || null);
    else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      const span: TimelineSpan = { id: `e${id}`, kind: 'activity', label: activityLabel(a.activityType?.name ?? '?', decodePayloads(a.input), t), start: at, end: null, plannedEnd: null, outcome: 'running', attempt: null, detail: null };
      byScheduled.set(id, span);
      spans.push(span);
    } else if (e.activityTaskStartedEventAttributes) {
      const span = byScheduled.get(Number(e.activityTaskStartedEventAttributes.scheduledEventId));
      if (span) span.attempt = e.activityTaskStartedEventAttributes.attempt ?? 1;
    } else if (e.activityTaskCompletedEventAttributes) close(byScheduled.get(Number(e.activityTaskCompletedEventAttributes.scheduledEventId)), at, 'completed');
    else if (e.activityTaskFailedEventAttributes) close(byScheduled.get(Number(e.activityTaskFailedEventAttributes.scheduledEventId)), at, 'failed', rootMessage(e.activityTaskFailedEventAttributes.failure));
    else if (e.activityTaskTimedOutEventAttributes) close(byScheduled.get(Number(e.activityTaskTimedOutEventAttributes.scheduledEventId)), at, 'timed out');
    else if (e.activityTaskCanceledEventAttributes) close(byScheduled.get(Number(e.activityTaskCanceledEventAttributes.scheduledEventId)), at, 'canceled');
    else if (e.timerStartedEventAttributes) {
      const a = e.timerStartedEventAttributes;
      const fires = new Date(Date.parse(at) + ms(a.startToFireTimeout)).toISOString();
      const span: TimelineSpan = { id: `e${id}`, kind: 'timer', label: t('timeline.labels.timer', { name: a.timerId ?? '' }), start: at, end: null, plannedEnd: fires, outcome: 'waiting', attempt: null, detail: null };
      timers.set(a.timerId ?? '', span);
      spans.push(span);
    } else if (e.timerFiredEventAttributes) close(timers.get(e.timerFiredEventAttributes.timerId ?? ''), at, 'fired');
    else if (e.timerCanceledEventAttributes) close(timers.get(e.timerCanceledEventAttributes.timerId ?? ''), at, 'canceled');
    else if (e.workflowExecutionSignaledEventAttributes) {
      const a = e.workflowExecutionSignaledEventAttributes;
      spans.push({ id: `e${id}`, kind: 'signal', label: t('timeline.labels.signal', { name: a.signalName ?? '?' }), start: at, end: at, plannedEnd: null, outcome: 'received', attempt: null, detail: a.identity || null });
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      const span: TimelineSpan = { id: `e${id}`, kind: 'child', label: t('timeline.labels.child', { name: e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId ?? '' }), start: at, end: null, plannedEnd: null, outcome: 'running', attempt: null, detail: null };
      children.set(id, span);
      spans.push(span);
    } else if (e.childWorkflowExecutionCompletedEventAttributes) close(children.get(Number(e.childWorkflowExecutionCompletedEventAttributes.initiatedEventId)), at, 'completed');
    else if (e.childWorkflowExecutionFailedEventAttributes) close(children.get(Number(e.childWorkflowExecutionFailedEventAttributes.initiatedEventId)), at, 'failed', rootMessage(e.childWorkflowExecutionFailedEventAttributes.failure));
    else if (e.childWorkflowExecutionTerminatedEventAttributes) close(children.get(Number(e.childWorkflowExecutionTerminatedEventAttributes.initiatedEventId)), at, 'terminated');
  }
  const instants = spans.flatMap((s) => [s.start, s.end, s.plannedEnd]).filter((t): t is string => !!t).map(Date.parse);
  const open = spans.some((s) => !s.end);
  const from = instants.length ? Math.min(...instants) : now.getTime();
  const to = Math.max(from + 1, ...instants, open ? now.getTime() : from);
  return { spans, from: new Date(from).toISOString(), to: new Date(to).toISOString(), eventsRead: events.length, truncated };
}

/** The run's timeline, reading at most `maxEvents` events page by page. */
export async function workflowTimeline(client: Client, run: RunRef, opts: { t: WorkflowsT; now?: Date; maxEvents?: number }): Promise<Timeline> {
  const max = opts.maxEvents ?? TIMELINE_MAX_EVENTS;
  const events: HistoryEvent[] = [];
  let truncated = false;
  for await (const e of historyEvents(client, run, 1_000)) {
    if (events.length >= max) {
      truncated = true;
      break;
    }
    events.push(e);
  }
  return timelineOf(events, opts.now ?? new Date(), opts.t, truncated);
}
