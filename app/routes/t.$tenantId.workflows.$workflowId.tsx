// The workflow page: everything an on-call engineer needs to diagnose one workflow without the
// Temporal UI — summary, input, result or failure with its causes, the event history (named in
// the seed's terms, or every event with its attributes, paged), the task queue's pollers, the
// pending activities and the call stack — and the operations their role allows.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { defer } from '@remix-run/node';
import { Form, Link, useFetcher, useLoaderData, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import type { loader as resetPointsLoader } from './t.$tenantId.workflows.$workflowId.reset-points';
import { z } from 'zod';
import { ActionDialog } from '~/components/action-dialog';
import { Pager } from '~/components/pager';
import { Streamed } from '~/components/streamed';
import { WorkflowStatus } from '~/components/workflow-status';
import { withQuery } from '~/components/query';
import { zoned } from '~/components/time';
import { timeZone } from '~/server/fields';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { BusinessHistory, EventList, FailureChain, formatBytes, formatDuration, Pollers, Value } from '~/components/workflow-diagnosis';
import { requireTenantPermission } from '~/server/auth.server';
import { invariantResponse, parseSearch } from '~/server/http.server';
import { can } from '~/server/permissions';
import { temporal } from '~/server/temporal.server';
import { userIdFromOnboardingWorkflowId } from '~/trials/search.server';
import { callStack, pendingActivities, type CallStack } from '~/workflows/activities.server';
import { historyPage, isHistoryCursor, readStartedEvent, workflowSummary } from '~/workflows/history.server';
import { describeTenantWorkflow, RUN_ID, workflowRuns, type RunLink } from '~/workflows/list.server';
import { declaredQueries, DECLARED_QUERY_NAMES, runDeclaredQuery } from '~/workflows/queries.server';
import { workflowTimeline } from '~/workflows/timeline.server';
import { AnswerView } from '~/components/answer-view';
import { WorkflowTimeline } from '~/components/workflow-timeline';
import { taskQueueWorkers, type TaskQueueWorkers } from '~/workflows/workers.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.workflowId ?? 'Workflow'} · Vigie` }];

export const workflowPageSearch = z.object({
  /** The page of the event history (a cursor this page made for this run). */
  events: z.string().max(4000).regex(/^[\w-]+\.[\w-]+$/, 'is not a page of this history').optional(),
  view: z.enum(['business', 'all', 'timeline']).default('business'),
  /** An earlier run of the same workflow id (a reset or continue-as-new chain); none: the latest. */
  run: z.string().regex(RUN_ID, 'is not a run id (a UUID)').optional(),
  /** A query the workflow type declares, to run now. */
  query: z.enum(DECLARED_QUERY_NAMES, { errorMap: () => ({ message: `is not a query these workflows declare (${DECLARED_QUERY_NAMES.join(', ')})` }) }).optional(),
  /** An explicit zone for this page; the operator's own otherwise. */
  tz: timeZone.optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const search = parseSearch(request, workflowPageSearch);
  const client = await temporal();
  // The first event (the input) is read beside the description; it is used only once describe()
  // has found the workflow in this tenant, and a failed early read is simply read again.
  const started = readStartedEvent(client, { workflowId: params.workflowId ?? '', runId: search.run }).catch(() => null);
  const d = await describeTenantWorkflow(client, ctx.tenantId, params.workflowId ?? '', search.run);
  const run = { tenantId: ctx.tenantId, workflowId: d.workflowId, runId: d.runId };
  // A page cursor is checked before anything streams: a bad one is a 400, not a broken section.
  invariantResponse(!search.events || isHistoryCursor(run, search.events), 'Filter “events”: is not a page of this workflow’s history.', 400);
  const running = d.status.name === 'RUNNING';
  const now = new Date();
  // The page is streamed (docs/decisions/110): the shell waits only for the description and the
  // summary (input, result or failure: two one-event reads), what an on-call engineer reads first.
  // Everything below streams into the page as it arrives. It starts on the next timer tick: React
  // renders the shell on setImmediate, which comes first, so these reads (their requests, Temporal's
  // work on them, their answers) do not compete with the shell for the CPU.
  const afterShell = new Promise<void>((resolve) => setTimeout(resolve, 0));
  // Who polls the queue, then what needs a worker to answer (the call stack, an asked query):
  // one chain. With no worker polling, say so instead of waiting.
  const live = afterShell.then(() => taskQueueWorkers(client, d.taskQueue))
    .catch((error: Error): TaskQueueWorkers & { error?: string } => ({
      taskQueue: d.taskQueue, pollers: [], noWorkflowPoller: false, noActivityPoller: false, error: error.message,
    }))
    .then(async (workers) => {
      const [stack, queryAnswer] = await Promise.all([
        !running ? { ok: false as const, reason: 'The workflow is closed: it has no call stack.' }
        : workers.noWorkflowPoller ? { ok: false as const, reason: 'No worker polls this task queue, so none can answer.' }
        : callStack(client, d),
        search.query ? runDeclaredQuery(client, d, search.query, { workerPolling: !workers.noWorkflowPoller }) : null,
      ]);
      return { workers, stack: stack as CallStack, queryAnswer };
    });
  // An earlier run (?run=) waits for the chain in the shell: that one starts at once.
  const chain = (search.run ? Promise.resolve() : afterShell).then(() => workflowRuns(client, ctx.tenantId, d.workflowId))
    .catch(() => ({ runs: [] as RunLink[], more: false }))
    .then((c) => ({ ...c, latestRunId: c.runs.at(-1)?.runId ?? d.runId }));
  // The timeline view draws spans, not the event list: it reads no page of events.
  const history = search.view === 'timeline' ? null
    // The business view shows names only: the attributes (the costly part) are built for "All events".
    : afterShell.then(() => historyPage(client, run, { cursor: search.events, attributes: search.view === 'all' })).then((p) => ({ events: p.events, nextEvents: p.nextCursor }));
  const timeline = search.view === 'timeline' ? afterShell.then(() => workflowTimeline(client, run, { now })) : null;
  // Should the shell fail, these reads' own failures have nobody to tell (defer() takes them later).
  for (const p of [history, timeline, live, chain]) p?.catch(() => undefined);
  const [summary, isLatest] = await Promise.all([
    workflowSummary(client, d, started),
    // Operations act on the latest run: an earlier run of the chain (?run=) is read-only, which only
    // the chain can tell; without ?run= this is the latest run and the shell does not wait for it.
    !search.run || chain.then((c) => c.latestRunId === search.run),
  ]);
  const searchAttributes = Object.fromEntries(
    d.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value instanceof Date ? p.value.toISOString() : String(p.value)]),
  );
  return defer({
    tenantId: ctx.tenantId,
    workflowId: d.workflowId,
    /** The trial user, when this is an onboarding workflow. */
    userId: userIdFromOnboardingWorkflowId(d.workflowId),
    runId: d.runId,
    type: d.type,
    status: d.status.name,
    startTime: d.startTime.toISOString(),
    closeTime: d.closeTime?.toISOString() ?? null,
    executionTime: d.executionTime?.toISOString() ?? null,
    historyLength: d.historyLength,
    taskQueue: d.taskQueue,
    searchAttributes,
    summary,
    view: search.view,
    tz: search.tz ?? operatorTimeZone(ctx),
    pending: pendingActivities(d),
    now: now.toISOString(),
    viewedRun: search.run ?? null,
    isLatest,
    queries: declaredQueries(d.type),
    askedQuery: search.query ?? null,
    can: {
      cancel: isLatest && can(ctx.role, 'cancel:workflow'),
      terminate: isLatest && can(ctx.role, 'terminate:workflow'),
      reset: isLatest && can(ctx.role, 'reset:workflow'),
      anyRole: can(ctx.role, 'cancel:workflow') || can(ctx.role, 'terminate:workflow') || can(ctx.role, 'reset:workflow'),
    },
    // Streamed after the shell:
    /** A page of events (null in the timeline view). */
    history,
    timeline,
    /** The task queue's pollers, the call stack and the asked query's answer. */
    live,
    /** The runs of this workflow id (a reset or continue-as-new chain). */
    chain,
  });
}

type Pending = ReturnType<typeof useLoaderData<typeof loader>>['pending'][number];

function PendingActivities({ pending, tz, activityUrl }: { pending: Pending[]; tz: string; activityUrl: string | null }) {
  if (pending.length === 0) return <p className="muted">None.</p>;
  const at = (t: string | null) => (t ? <time dateTime={t}>{zoned(t, tz)}</time> : '—');
  return (
    <div data-testid="pending-activities">
      {pending.map((a) => (
        <article key={a.activityId} className="card" data-testid={`pending-${a.activityId}`}>
          <h3 style={{ margin: '0 0 .5rem', fontSize: '1rem' }}>{a.activityType} <span className="muted">id {a.activityId}</span> <span className="badge">{a.state}</span></h3>
          <dl className="kv">
            <dt>Attempt</dt><dd data-testid="activity-attempt">{a.attempt} / {a.maximumAttempts || '∞'}</dd>
            <dt>Next retry</dt><dd data-testid="activity-next-retry">{at(a.nextAttemptScheduleTime)}</dd>
            <dt>Scheduled</dt><dd>{at(a.scheduledTime)}</dd>
            <dt>Last started</dt><dd>{at(a.lastStartedTime)}</dd>
            <dt>Last heartbeat</dt><dd>{at(a.lastHeartbeatTime)}{a.heartbeatDetails.length > 0 && <Value value={a.heartbeatDetails} />}</dd>
            <dt>Last worker</dt><dd data-testid="activity-last-worker">{a.lastWorkerIdentity ? <code>{a.lastWorkerIdentity}</code> : '—'}</dd>
            <dt>Gives up at</dt><dd>{at(a.expirationTime)}</dd>
            {a.paused && <><dt>Paused</dt><dd>{a.pauseReason ?? 'yes'}</dd></>}
          </dl>
          {a.lastFailure && <><h4 style={{ margin: '.5rem 0 .25rem' }}>Last failure</h4><FailureChain chain={a.lastFailure} testId="activity-last-failure" /></>}
          {activityUrl && (
            <div className="row" style={{ alignItems: 'start', marginTop: '.5rem' }}>
              {a.paused ? (
                <ActionDialog label="Unpause" testId={`activity-unpause-${a.activityId}`} actionUrl={activityUrl} reason="required"
                  confirmText={`Unpause ${a.activityType}: its next attempt is scheduled now.`}>
                  <input type="hidden" name="op" value="unpause" /><input type="hidden" name="activityId" value={a.activityId} />
                </ActionDialog>
              ) : (
                <ActionDialog label="Pause" testId={`activity-pause-${a.activityId}`} actionUrl={activityUrl} reason="required"
                  confirmText={`Pause ${a.activityType}: no new attempt starts until it is unpaused (an attempt already running finishes).`}>
                  <input type="hidden" name="op" value="pause" /><input type="hidden" name="activityId" value={a.activityId} />
                </ActionDialog>
              )}
              <ActionDialog label="Reset activity" testId={`activity-reset-${a.activityId}`} actionUrl={activityUrl} reason="required"
                confirmText={`Reset ${a.activityType}: its attempts start again from 1 and its heartbeat is cleared; the workflow itself is not reset.`}>
                <input type="hidden" name="op" value="reset" /><input type="hidden" name="activityId" value={a.activityId} />
              </ActionDialog>
            </div>
          )}
        </article>
      ))}
    </div>
  );
}

/** The reset points, asked when the reset dialog opens (the page does not wait on them). */
function ResetPointSelect({ url, tz }: { url: string; tz: string }) {
  const fetcher = useFetcher<typeof resetPointsLoader>();
  // Asked once per opening (fetcher is a new object each render: depending on it re-asked on every
  // render, and for ever when an answer carried no data).
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (asked.current === url) return;
    asked.current = url;
    fetcher.load(url);
  }, [fetcher, url]);
  const points = fetcher.data?.points;
  if (!points) return <p className="muted" role="status">Reading the reset points…</p>;
  if (points.length === 0) return <p className="error" role="status">No workflow task to reset to yet.</p>;
  return (
    <label>Reset point
      <select name="eventId" defaultValue={points[0].eventId}>
        {points.map((p, i) => (
          <option key={p.eventId} value={p.eventId}>
            {i === 0 ? 'Last workflow task' : 'Workflow task'} — event {p.eventId}{p.after ? `, after: ${p.after}` : ''}{p.time ? ` (${zoned(p.time, tz)})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

export default function WorkflowPage() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const tz = d.tz;
  const open = d.status === 'RUNNING';
  const base = `/t/${d.tenantId}/workflows/${encodeURIComponent(d.workflowId)}`;
  const opUrl = `${base}/op`;
  const end = d.closeTime ? Date.parse(d.closeTime) : null;
  const s = d.summary;
  return (
    <main className="page">
      <p><Link to={`/t/${d.tenantId}/workflows`}>← Workflows</Link></p>
      <h1><code>{d.workflowId}</code> <WorkflowStatus status={d.status} testId="workflow-status" /></h1>
      {!d.isLatest && (
        <p className="card" role="status" data-testid="earlier-run">
          You are reading an earlier run of this workflow; operations act on the latest run.{' '}
          <Link to={withQuery(search, { run: null, events: null, query: null })}>Open the latest run →</Link>
        </p>
      )}
      {open && (
        <Streamed resolve={d.live} fallback={null} what="The task queue">
          {({ workers }) => <>
            {workers.noWorkflowPoller && (
              <p className="card error" role="alert" data-testid="no-poller-warning">
                No worker is polling the task queue <code>{d.taskQueue}</code>: this workflow cannot make progress until one starts.
              </p>
            )}
            {!workers.noWorkflowPoller && workers.noActivityPoller && d.pending.length > 0 && (
              <p className="card error" role="alert" data-testid="no-activity-poller-warning">
                No worker is polling the task queue <code>{d.taskQueue}</code> for activities: the pending activities wait.
              </p>
            )}
          </>}
        </Streamed>
      )}
      {s.failure && (
        <section className="card" data-testid="workflow-failure">
          <h2 style={{ marginTop: 0 }}>{d.status === 'FAILED' ? 'Failure' : d.status === 'TERMINATED' ? 'Terminated' : 'Closed'}</h2>
          <FailureChain chain={s.failure} />
        </section>
      )}
      <div className="grid2">
        <section className="card" data-testid="workflow-summary">
          <dl className="kv">
            <dt>Type</dt><dd>{d.type}</dd>
            <dt>Run</dt><dd><code>{d.runId}</code></dd>
            {s.firstRunId && s.firstRunId !== d.runId && <><dt>First run</dt><dd><code>{s.firstRunId}</code></dd></>}
            {s.parent && <><dt>Parent</dt><dd><code>{s.parent.workflowId}</code></dd></>}
            <dt>Task queue</dt><dd>{d.taskQueue}</dd>
            <dt>Started</dt><dd><time dateTime={d.startTime}>{zoned(d.startTime, tz)}</time></dd>
            <dt>Closed</dt><dd>{d.closeTime ? <time dateTime={d.closeTime}>{zoned(d.closeTime, tz)}</time> : '—'}</dd>
            <dt>Duration</dt><dd data-testid="workflow-duration">{end ? formatDuration(end - Date.parse(d.startTime)) : 'running'}</dd>
            <dt>History events</dt><dd data-testid="history-length">{d.historyLength}</dd>
            {s.historySizeBytes != null && <><dt>History size</dt><dd>{formatBytes(s.historySizeBytes)}</dd></>}
            {s.stateTransitionCount != null && <><dt>State transitions</dt><dd>{s.stateTransitionCount}</dd></>}
            {Object.entries(d.searchAttributes).map(([k, v]) => <div key={k} style={{ display: 'contents' }}><dt>{k}</dt><dd>{v}</dd></div>)}
            {Object.entries(s.memo).map(([k, v]) => <div key={`memo-${k}`} style={{ display: 'contents' }}><dt>memo {k}</dt><dd><code>{JSON.stringify(v)}</code></dd></div>)}
          </dl>
          {d.userId && <p><Link to={`/t/${d.tenantId}/trials/${encodeURIComponent(d.userId)}`}>Open the trial user’s page →</Link></p>}
          <Streamed resolve={d.chain} fallback={null} what="The runs of this workflow id">
            {(chain) => chain.runs.length > 1 && (
            <>
              <h3 style={{ marginBottom: '.25rem' }}>Runs of this workflow id</h3>
              <ol className="runs" data-testid="run-chain">
                {chain.runs.map((r, i) => {
                  const current = r.runId === d.runId;
                  const latest = r.runId === chain.latestRunId;
                  const label = <><code>{r.runId.slice(0, 8)}</code> <WorkflowStatus status={r.status} /> started <time dateTime={r.startTime}>{zoned(r.startTime, tz)}</time>{latest ? ' · latest' : ''}{i === 0 ? ' · first' : ''}</>;
                  return (
                    <li key={r.runId} data-run-id={r.runId} aria-current={current ? 'true' : undefined}>
                      {current ? <strong>{label} (this run)</strong> : <Link to={withQuery(search, { run: latest ? null : r.runId, events: null, query: null })}>{label}</Link>}
                    </li>
                  );
                })}
              </ol>
              {chain.more && <p className="muted">Only the latest {chain.runs.length} runs are listed.</p>}
            </>
            )}
          </Streamed>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Input</h2>
          <Value value={s.input.length === 1 ? s.input[0] : s.input} testId="workflow-input" />
          {s.result && <><h2>Result</h2><Value value={s.result.length === 1 ? s.result[0] : s.result} testId="workflow-result" /></>}
        </section>
      </div>
      <div className="grid2">
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Pending activities</h2>
          <PendingActivities pending={d.pending} tz={tz} activityUrl={open && d.can.reset ? `${base}/activity` : null} />
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Workers on <code>{d.taskQueue}</code></h2>
          <Streamed resolve={d.live} fallback={<p className="muted" role="status">Asking Temporal who polls this queue…</p>} what="The task queue">
            {({ workers, stack }) => <>
              {'error' in workers && workers.error ? <p className="error">The task queue could not be read: {String(workers.error)}</p> : <Pollers pollers={workers.pollers} tz={tz} />}
              <h2>Call stack</h2>
              {stack.ok ? <pre className="scroll" tabIndex={0} data-testid="call-stack" style={{ fontSize: '.8rem' }}>{stack.stack}</pre>
                : <p className="muted" data-testid="call-stack-unavailable">{stack.reason}</p>}
            </>}
          </Streamed>
        </section>
      </div>
      {d.queries.length > 0 && (
        <section className="card" data-testid="queries-panel">
          <h2 style={{ marginTop: 0 }}>Queries</h2>
          <p className="muted">Ask the workflow itself (a worker answers from its current state; nothing changes).</p>
          {d.queries.map((q) => (
            <Form key={q.name} method="get" className="row" style={{ alignItems: 'baseline', marginBottom: '.5rem' }} preventScrollReset>
              {[...search.entries()].filter(([k]) => k !== 'query').map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
              <button type="submit" name="query" value={q.name} className="secondary" data-testid={`query-${q.name}`}>Run <code>{q.name}</code></button>
              <span className="muted">{q.description}</span>
            </Form>
          ))}
          {d.askedQuery && (
            <Streamed resolve={d.live} fallback={<p className="muted" role="status">Asking the workflow <code>{d.askedQuery}</code>…</p>} what="The answer">
              {({ queryAnswer }) => queryAnswer && (
                <div data-testid="query-answer" data-query={queryAnswer.name}>
                  <h3>{queryAnswer.name}</h3>
                  {queryAnswer.ok ? <AnswerView value={queryAnswer.answer} tz={tz} /> : <p className="error" role="alert">{queryAnswer.reason}</p>}
                </div>
              )}
            </Streamed>
          )}
        </section>
      )}
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Event history</h2>
        <nav className="tabs" aria-label="History views">
          <Link to={withQuery(search, { view: null })} aria-current={d.view === 'business' ? 'page' : undefined}>What happened</Link>
          <Link to={withQuery(search, { view: 'all' })} aria-current={d.view === 'all' ? 'page' : undefined}>All events</Link>
          <Link to={withQuery(search, { view: 'timeline', events: null })} aria-current={d.view === 'timeline' ? 'page' : undefined}>Timeline</Link>
          <a href={`${base}/history.json${d.viewedRun ? `?run=${d.viewedRun}` : ''}`} download data-testid="history-download">Download JSON (replayable)</a>
        </nav>
        {d.timeline ? (
          <Streamed resolve={d.timeline} fallback={<p className="muted" role="status">Reading the history to draw its timeline…</p>} what="The timeline">
            {(timeline) => <WorkflowTimeline timeline={timeline} now={d.now} tz={tz} />}
          </Streamed>
        ) : d.history && (
          <Streamed resolve={d.history} fallback={<p className="muted" role="status">Reading the history…</p>} what="The history">
            {(history) => <>
              {d.view === 'business' ? <BusinessHistory events={history.events} tz={tz} /> : <EventList events={history.events} tz={tz} />}
              <Pager param="events" next={history.nextEvents} labels={{ first: '← First events', next: 'Later events →' }} />
            </>}
          </Streamed>
        )}
      </section>
      <section className="card">
        <h2>Operations</h2>
        <div className="row" style={{ alignItems: 'start' }}>
          {!d.isLatest ? <p className="muted" data-testid="no-operations">Operations act on the latest run: open it to operate.</p>
            : !d.can.anyRole && <p className="muted" data-testid="no-operations">Your role can read workflows but not operate them.</p>}
          {d.can.cancel && <ActionDialog label="Cancel" testId="op-cancel" actionUrl={opUrl} disabled={!open}
            disabledReason="The workflow is closed"
            confirmText="Request cancellation: the workflow is told to stop and runs its own cleanup (a saga compensates) before closing as canceled.">
            <input type="hidden" name="op" value="cancel" />
          </ActionDialog>}
          {d.can.terminate && <ActionDialog label="Terminate" testId="op-terminate" actionUrl={opUrl} danger reason="required" disabled={!open}
            disabledReason="The workflow is closed"
            confirmText="Terminate now: the workflow stops at once, runs no cleanup and cannot be resumed. A saga left half-done is not compensated.">
            <input type="hidden" name="op" value="terminate" />
          </ActionDialog>}
          {d.can.reset && <ActionDialog label="Reset (retry)" testId="op-reset" actionUrl={opUrl} reason="required"
            confirmText="Reset: a new run replays this one up to the chosen workflow task and continues from there; signals and updates received after that point are reapplied unless excluded below. The current run is terminated.">
            <input type="hidden" name="op" value="reset" />
            <ResetPointSelect url={`${base}/reset-points`} tz={tz} />
            <label className="row"><input type="checkbox" name="excludeSignals" /> Do not reapply signals received after this point</label>
            <label className="row"><input type="checkbox" name="excludeUpdates" /> Do not reapply updates received after this point</label>
          </ActionDialog>}
        </div>
      </section>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
