// The workflow page: everything an on-call engineer needs to diagnose one workflow without the
// Temporal UI — summary, input, result or failure with its causes, the event history (named in
// the seed's terms, or every event with its attributes, paged), the task queue's pollers, the
// pending activities and the call stack — and the operations their role allows.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { defer } from '@remix-run/node';
import { Form, Link, useFetcher, useLoaderData, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
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
import { serverT } from '~/i18n/server-t.server';
import type { workflows as enWorkflows } from '~/i18n/locales/en/workflows';
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
  // Sentences the server writes (the history named, a failure's details, why there is no answer).
  const t = serverT(ctx.language, 'workflows');
  const client = await temporal();
  // The first event (the input) is read beside the description; it is used only once describe()
  // has found the workflow in this tenant, and a failed early read is simply read again.
  const started = readStartedEvent(client, { workflowId: params.workflowId ?? '', runId: search.run }).catch(() => null);
  const d = await describeTenantWorkflow(client, ctx.tenantId, params.workflowId ?? '', search.run);
  const run = { tenantId: ctx.tenantId, workflowId: d.workflowId, runId: d.runId };
  // A page cursor is checked before anything streams: a bad one is a 400, not a broken section.
  invariantResponse(!search.events || isHistoryCursor(run, search.events), t('filterProblems.filter', { name: 'events', problem: t('filterProblems.notAHistoryPage') }), 400);
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
        !running ? { ok: false as const, reason: t('live.closedNoStack') }
        : workers.noWorkflowPoller ? { ok: false as const, reason: t('live.noWorker') }
        : callStack(client, d, t),
        search.query ? runDeclaredQuery(client, d, search.query, { t, workerPolling: !workers.noWorkflowPoller }) : null,
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
    : afterShell.then(() => historyPage(client, run, { t, cursor: search.events, attributes: search.view === 'all' })).then((p) => ({ events: p.events, nextEvents: p.nextCursor }));
  const timeline = search.view === 'timeline' ? afterShell.then(() => workflowTimeline(client, run, { t, now })) : null;
  // Should the shell fail, these reads' own failures have nobody to tell (defer() takes them later).
  for (const p of [history, timeline, live, chain]) p?.catch(() => undefined);
  const [summary, isLatest] = await Promise.all([
    workflowSummary(client, d, t, started),
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
    pending: pendingActivities(d, t),
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
  const { t } = useTranslation('workflows');
  if (pending.length === 0) return <p className="muted">{t('activity.none')}</p>;
  const at = (t: string | null) => (t ? <time dateTime={t}>{zoned(t, tz)}</time> : '—');
  return (
    <div data-testid="pending-activities">
      {pending.map((a) => (
        <article key={a.activityId} className="card" data-testid={`pending-${a.activityId}`}>
          <h3 style={{ margin: '0 0 .5rem', fontSize: '1rem' }}>{a.activityType} <span className="muted">{t('activity.id', { id: a.activityId })}</span> <span className="badge">{a.state}</span></h3>
          <dl className="kv">
            <dt>{t('activity.attempt')}</dt><dd data-testid="activity-attempt">{a.attempt} / {a.maximumAttempts || '∞'}</dd>
            <dt>{t('activity.nextRetry')}</dt><dd data-testid="activity-next-retry">{at(a.nextAttemptScheduleTime)}</dd>
            <dt>{t('activity.scheduled')}</dt><dd>{at(a.scheduledTime)}</dd>
            <dt>{t('activity.lastStarted')}</dt><dd>{at(a.lastStartedTime)}</dd>
            <dt>{t('activity.lastHeartbeat')}</dt><dd>{at(a.lastHeartbeatTime)}{a.heartbeatDetails.length > 0 && <Value value={a.heartbeatDetails} />}</dd>
            <dt>{t('activity.lastWorker')}</dt><dd data-testid="activity-last-worker">{a.lastWorkerIdentity ? <code>{a.lastWorkerIdentity}</code> : '—'}</dd>
            <dt>{t('activity.givesUpAt')}</dt><dd>{at(a.expirationTime)}</dd>
            {a.paused && <><dt>{t('activity.paused')}</dt><dd>{a.pauseReason ?? t('activity.yes')}</dd></>}
          </dl>
          {a.lastFailure && <><h4 style={{ margin: '.5rem 0 .25rem' }}>{t('activity.lastFailure')}</h4><FailureChain chain={a.lastFailure} testId="activity-last-failure" /></>}
          {activityUrl && (
            <div className="row" style={{ alignItems: 'start', marginTop: '.5rem' }}>
              {a.paused ? (
                <ActionDialog label={t('activity.unpause')} testId={`activity-unpause-${a.activityId}`} actionUrl={activityUrl} reason="required"
                  confirmText={t('activity.unpauseConfirm', { name: a.activityType })}>
                  <input type="hidden" name="op" value="unpause" /><input type="hidden" name="activityId" value={a.activityId} />
                </ActionDialog>
              ) : (
                <ActionDialog label={t('activity.pause')} testId={`activity-pause-${a.activityId}`} actionUrl={activityUrl} reason="required"
                  confirmText={t('activity.pauseConfirm', { name: a.activityType })}>
                  <input type="hidden" name="op" value="pause" /><input type="hidden" name="activityId" value={a.activityId} />
                </ActionDialog>
              )}
              <ActionDialog label={t('activity.reset')} testId={`activity-reset-${a.activityId}`} actionUrl={activityUrl} reason="required"
                confirmText={t('activity.resetConfirm', { name: a.activityType })}>
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
  const { t } = useTranslation('workflows');
  // Asked once per opening (fetcher is a new object each render: depending on it re-asked on every
  // render, and for ever when an answer carried no data).
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (asked.current === url) return;
    asked.current = url;
    fetcher.load(url);
  }, [fetcher, url]);
  const points = fetcher.data?.points;
  if (!points) return <p className="muted" role="status">{t('page.readingResetPoints')}</p>;
  if (points.length === 0) return <p className="error" role="status">{t('page.noResetPoint')}</p>;
  return (
    <label>{t('page.resetPoint')}
      <select name="eventId" defaultValue={points[0].eventId}>
        {points.map((p, i) => (
          <option key={p.eventId} value={p.eventId}>
            {t('page.pointEvent', { task: i === 0 ? t('page.lastTask') : t('page.task'), eventId: p.eventId })}{p.after ? t('page.pointAfter', { after: p.after }) : ''}{p.time ? ` (${zoned(p.time, tz)})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

export default function WorkflowPage() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const { t } = useTranslation('workflows');
  const tz = d.tz;
  const open = d.status === 'RUNNING';
  const base = `/t/${d.tenantId}/workflows/${encodeURIComponent(d.workflowId)}`;
  const opUrl = `${base}/op`;
  const end = d.closeTime ? Date.parse(d.closeTime) : null;
  const s = d.summary;
  return (
    <main className="page">
      <p><Link to={`/t/${d.tenantId}/workflows`}>{t('page.back')}</Link></p>
      <h1><code>{d.workflowId}</code> <WorkflowStatus status={d.status} testId="workflow-status" /></h1>
      {!d.isLatest && (
        <p className="card" role="status" data-testid="earlier-run">
          {t('page.earlierRun')}{' '}
          <Link to={withQuery(search, { run: null, events: null, query: null })}>{t('page.openLatest')}</Link>
        </p>
      )}
      {open && (
        <Streamed resolve={d.live} fallback={null} what={t('page.taskQueue')}>
          {({ workers }) => <>
            {workers.noWorkflowPoller && (
              <p className="card error" role="alert" data-testid="no-poller-warning">
                <Trans t={t} i18nKey="page.noPoller" values={{ queue: d.taskQueue }} components={{ code: <code /> }} />
              </p>
            )}
            {!workers.noWorkflowPoller && workers.noActivityPoller && d.pending.length > 0 && (
              <p className="card error" role="alert" data-testid="no-activity-poller-warning">
                <Trans t={t} i18nKey="page.noActivityPoller" values={{ queue: d.taskQueue }} components={{ code: <code /> }} />
              </p>
            )}
          </>}
        </Streamed>
      )}
      {s.failure && (
        <section className="card" data-testid="workflow-failure">
          <h2 style={{ marginTop: 0 }}>{d.status === 'FAILED' ? t('page.failure') : d.status === 'TERMINATED' ? t('page.terminated') : t('page.closedTitle')}</h2>
          <FailureChain chain={s.failure} />
        </section>
      )}
      <div className="grid2">
        <section className="card" data-testid="workflow-summary">
          <dl className="kv">
            <dt>{t('page.type')}</dt><dd>{d.type}</dd>
            <dt>{t('page.run')}</dt><dd><code>{d.runId}</code></dd>
            {s.firstRunId && s.firstRunId !== d.runId && <><dt>{t('page.firstRun')}</dt><dd><code>{s.firstRunId}</code></dd></>}
            {s.parent && <><dt>{t('page.parent')}</dt><dd><code>{s.parent.workflowId}</code></dd></>}
            <dt>{t('page.taskQueueLabel')}</dt><dd>{d.taskQueue}</dd>
            <dt>{t('page.started')}</dt><dd><time dateTime={d.startTime}>{zoned(d.startTime, tz)}</time></dd>
            <dt>{t('page.closed')}</dt><dd>{d.closeTime ? <time dateTime={d.closeTime}>{zoned(d.closeTime, tz)}</time> : '—'}</dd>
            <dt>{t('page.duration')}</dt><dd data-testid="workflow-duration">{end ? formatDuration(end - Date.parse(d.startTime), t('units.day')) : t('page.running')}</dd>
            <dt>{t('page.historyEvents')}</dt><dd data-testid="history-length">{d.historyLength}</dd>
            {s.historySizeBytes != null && <><dt>{t('page.historySize')}</dt><dd>{formatBytes(s.historySizeBytes)}</dd></>}
            {s.stateTransitionCount != null && <><dt>{t('page.stateTransitions')}</dt><dd>{s.stateTransitionCount}</dd></>}
            {Object.entries(d.searchAttributes).map(([k, v]) => <div key={k} style={{ display: 'contents' }} translate="no"><dt>{k}</dt><dd>{v}</dd></div>)}
            {Object.entries(s.memo).map(([k, v]) => <div key={`memo-${k}`} style={{ display: 'contents' }}><dt>{t('page.memo', { key: k })}</dt><dd><code>{JSON.stringify(v)}</code></dd></div>)}
          </dl>
          {d.userId && <p><Link to={`/t/${d.tenantId}/trials/${encodeURIComponent(d.userId)}`}>{t('page.openTrial')}</Link></p>}
          <Streamed resolve={d.chain} fallback={null} what={t('page.runsWhat')}>
            {(chain) => chain.runs.length > 1 && (
            <>
              <h3 style={{ marginBottom: '.25rem' }}>{t('page.runs')}</h3>
              <ol className="runs" data-testid="run-chain">
                {chain.runs.map((r, i) => {
                  const current = r.runId === d.runId;
                  const latest = r.runId === chain.latestRunId;
                  const label = <><code>{r.runId.slice(0, 8)}</code> <WorkflowStatus status={r.status} /> {t('page.runStarted')} <time dateTime={r.startTime}>{zoned(r.startTime, tz)}</time>{latest ? t('page.latest') : ''}{i === 0 ? t('page.first') : ''}</>;
                  return (
                    <li key={r.runId} data-run-id={r.runId} aria-current={current ? 'true' : undefined}>
                      {current ? <strong>{label} {t('page.thisRun')}</strong> : <Link to={withQuery(search, { run: latest ? null : r.runId, events: null, query: null })}>{label}</Link>}
                    </li>
                  );
                })}
              </ol>
              {chain.more && <p className="muted">{t('page.onlyLatestRuns', { count: chain.runs.length })}</p>}
            </>
            )}
          </Streamed>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>{t('page.input')}</h2>
          <Value value={s.input.length === 1 ? s.input[0] : s.input} testId="workflow-input" />
          {s.result && <><h2>{t('page.result')}</h2><Value value={s.result.length === 1 ? s.result[0] : s.result} testId="workflow-result" /></>}
        </section>
      </div>
      <div className="grid2">
        <section className="card">
          <h2 style={{ marginTop: 0 }}>{t('page.pendingActivities')}</h2>
          <PendingActivities pending={d.pending} tz={tz} activityUrl={open && d.can.reset ? `${base}/activity` : null} />
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}><Trans t={t} i18nKey="page.workersOn" values={{ queue: d.taskQueue }} components={{ code: <code /> }} /></h2>
          <Streamed resolve={d.live} fallback={<p className="muted" role="status">{t('page.askingPollers')}</p>} what={t('page.taskQueue')}>
            {({ workers, stack }) => <>
              {'error' in workers && workers.error ? <p className="error">{t('page.queueUnreadable', { error: String(workers.error) })}</p> : <Pollers pollers={workers.pollers} tz={tz} />}
              <h2>{t('page.callStack')}</h2>
              {stack.ok ? <pre className="scroll" tabIndex={0} data-testid="call-stack" style={{ fontSize: '.8rem' }}>{stack.stack}</pre>
                : <p className="muted" data-testid="call-stack-unavailable">{stack.reason}</p>}
            </>}
          </Streamed>
        </section>
      </div>
      {d.queries.length > 0 && (
        <section className="card" data-testid="queries-panel">
          <h2 style={{ marginTop: 0 }}>{t('page.queries')}</h2>
          <p className="muted">{t('page.queriesIntro')}</p>
          {d.queries.map((q) => (
            <Form key={q.name} method="get" className="row" style={{ alignItems: 'baseline', marginBottom: '.5rem' }} preventScrollReset>
              {[...search.entries()].filter(([k]) => k !== 'query').map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
              <button type="submit" name="query" value={q.name} className="secondary" data-testid={`query-${q.name}`}><Trans t={t} i18nKey="page.runQuery" values={{ name: q.name }} components={{ code: <code /> }} /></button>
              <span className="muted">{t(`queries.${q.name as keyof typeof enWorkflows.queries}`)}</span>
            </Form>
          ))}
          {d.askedQuery && (
            <Streamed resolve={d.live} fallback={<p className="muted" role="status"><Trans t={t} i18nKey="page.asking" values={{ name: d.askedQuery }} components={{ code: <code /> }} /></p>} what={t('page.answer')}>
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
        <h2 style={{ marginTop: 0 }}>{t('page.history')}</h2>
        <nav className="tabs" aria-label={t('page.historyViews')}>
          <Link to={withQuery(search, { view: null })} aria-current={d.view === 'business' ? 'page' : undefined}>{t('page.whatHappened')}</Link>
          <Link to={withQuery(search, { view: 'all' })} aria-current={d.view === 'all' ? 'page' : undefined}>{t('page.allEvents')}</Link>
          <Link to={withQuery(search, { view: 'timeline', events: null })} aria-current={d.view === 'timeline' ? 'page' : undefined}>{t('page.timeline')}</Link>
          <a href={`${base}/history.json${d.viewedRun ? `?run=${d.viewedRun}` : ''}`} download data-testid="history-download">{t('page.download')}</a>
        </nav>
        {d.timeline ? (
          <Streamed resolve={d.timeline} fallback={<p className="muted" role="status">{t('page.readingTimeline')}</p>} what={t('page.timelineWhat')}>
            {(timeline) => <WorkflowTimeline timeline={timeline} now={d.now} tz={tz} />}
          </Streamed>
        ) : d.history && (
          <Streamed resolve={d.history} fallback={<p className="muted" role="status">{t('page.readingHistory')}</p>} what={t('page.historyWhat')}>
            {(history) => <>
              {d.view === 'business' ? <BusinessHistory events={history.events} tz={tz} /> : <EventList events={history.events} tz={tz} />}
              <Pager param="events" next={history.nextEvents} labels={{ first: t('page.firstEvents'), next: t('page.laterEvents') }} />
            </>}
          </Streamed>
        )}
      </section>
      <section className="card">
        <h2>{t('page.operations')}</h2>
        <div className="row" style={{ alignItems: 'start' }}>
          {!d.isLatest ? <p className="muted" data-testid="no-operations">{t('page.earlierRunNoOps')}</p>
            : !d.can.anyRole && <p className="muted" data-testid="no-operations">{t('page.readOnlyRole')}</p>}
          {d.can.cancel && <ActionDialog label={t('page.cancel')} testId="op-cancel" actionUrl={opUrl} disabled={!open}
            disabledReason={t('page.closedReason')}
            confirmText={t('page.cancelConfirm')}>
            <input type="hidden" name="op" value="cancel" />
          </ActionDialog>}
          {d.can.terminate && <ActionDialog label={t('page.terminate')} testId="op-terminate" actionUrl={opUrl} danger reason="required" disabled={!open}
            disabledReason={t('page.closedReason')}
            confirmText={t('page.terminateConfirm')}>
            <input type="hidden" name="op" value="terminate" />
          </ActionDialog>}
          {d.can.reset && <ActionDialog label={t('page.reset')} testId="op-reset" actionUrl={opUrl} reason="required"
            confirmText={t('page.resetConfirm')}>
            <input type="hidden" name="op" value="reset" />
            <ResetPointSelect url={`${base}/reset-points`} tz={tz} />
            <label className="row"><input type="checkbox" name="excludeSignals" /> {t('page.excludeSignals')}</label>
            <label className="row"><input type="checkbox" name="excludeUpdates" /> {t('page.excludeUpdates')}</label>
          </ActionDialog>}
        </div>
      </section>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
