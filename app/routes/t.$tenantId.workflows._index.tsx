import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigate, useSearchParams } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ActionDialog } from '~/components/action-dialog';
import { DataTable } from '~/components/data-table';
import { Pager } from '~/components/pager';
import { withQuery } from '~/components/query';
import { instantToWallTime, isWallTime, utc, zoned } from '~/components/time';
import { requireTenantPermission } from '~/server/auth.server';
import { serverT } from '~/i18n/server-t.server';
import { parseSearch } from '~/server/http.server';
import { can } from '~/server/permissions';
import { stuckActivities } from '~/workflows/stuck.server';
import { idleTaskQueues } from '~/workflows/workers.server';
import { temporal } from '~/server/temporal.server';
import { ATTRIBUTE_OPS, ATTRIBUTE_SLOTS, DEFAULT_WORKFLOW_COLUMNS, ONBOARDING_WORKFLOW_TYPE, PAGE_SIZES, PHASES, STATUSES, WORKFLOW_COLUMNS, WORKFLOW_TYPES, type WorkflowColumn } from '~/workflows/labels';
import { countByStatus, sortedWorkflowPage } from '~/workflows/visibility.server';
import { inOperatorZone, refuseInvalidQuery, refuseUnknownColumns, startTimeWindow, workflowListQuery, workflowQueryClause } from '~/workflows/filters.server';
import { customSearchAttributes } from '~/workflows/query.server';
import { canChangeView, defaultViewFor, listSavedViews, parseViewQuery, savedViewFor, viewQueryOf, withView } from '~/workflows/views.server';
import { ROLES } from '~/server/permissions';
import { z } from 'zod';
import { useWorkflowStatusWords, WorkflowStatus } from '~/components/workflow-status';

export const meta: MetaFunction = () => [{ title: 'Workflows · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  // Why a filter is refused, in the operator's words.
  const t = serverT(ctx.language, 'workflows');
  // A saved view (?sv=<id>), or the role's default view on a bare list, gives the filters.
  const { sv } = parseSearch(request, z.object({ sv: z.string().max(100).optional() }));
  const url = new URL(request.url);
  const saved = sv ? await savedViewFor(ctx, sv) : [...url.searchParams.keys()].every((k) => k === 'tz') ? await defaultViewFor(ctx) : null;
  const listParams = saved ? withView(saved.query, url.searchParams) : url.searchParams;
  const { view, cursor, size, cols, ...filter } = saved ? parseViewQuery(listParams.toString(), t) : parseSearch(request, workflowListQuery);
  // Wall-clock bounds are read in the zone the URL names, else in the operator's own.
  const zonedFilter = inOperatorZone(filter, ctx);
  const views = await listSavedViews(ctx);
  const client = await temporal();
  const [clause, withoutStatus, attributes] = await Promise.all([
    workflowQueryClause(client, view === 'stuck' ? { ...zonedFilter, status: 'Running' } : zonedFilter, t),
    workflowQueryClause(client, { ...zonedFilter, status: undefined }, t),
    customSearchAttributes(client),
  ]);
  refuseUnknownColumns(cols, attributes, t);
  const [counts, page] = await Promise.all([
    countByStatus(client, ctx.tenantId, withoutStatus),
    sortedWorkflowPage(client, ctx.tenantId, { filter: clause, pageSize: view === 'stuck' ? 100 : size, cursor: cursor ?? null }),
  ]).catch((error: unknown) => refuseInvalidQuery(error, t));
  const [stuck, idleQueues] = await Promise.all([
    view === 'stuck' ? stuckActivities(client, page.rows) : Promise.resolve([] as Awaited<ReturnType<typeof stuckActivities>>),
    idleTaskQueues(client, page.rows),
  ]);
  const matching = filter.status ? (counts[filter.status] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0);
  // What a batch over the filter acts on: its running workflows only (batch.server.ts adds the same condition).
  const runningMatching = !filter.status || filter.status === 'Running' ? (counts.Running ?? 0) : 0;
  const tz = zonedFilter.tz;
  const window = startTimeWindow(zonedFilter);
  // The inputs show the bounds as wall-clock times of the zone they are read in.
  const asInput = (bound?: string) => (!bound ? '' : isWallTime(bound) ? bound : instantToWallTime(bound, tz));
  return json({
    tenantId: ctx.tenantId,
    filter,
    tz,
    window,
    inputs: { from: asInput(filter.from), to: asInput(filter.to) },
    attributes,
    size,
    cols,
    views,
    savedView: saved ? { id: saved.id, name: saved.name, shared: saved.shared, defaultForRole: saved.defaultForRole, canChange: canChangeView(ctx, saved) } : null,
    currentQuery: viewQueryOf(listParams),
    isAdmin: ctx.role === 'admin',
    view,
    counts,
    matching,
    runningMatching,
    rows: page.rows,
    nextCursor: page.nextCursor,
    stuck,
    idleQueues,
    canTerminate: can(ctx.role, 'terminate:workflow'),
    canCancel: can(ctx.role, 'cancel:workflow'),
    canSignal: can(ctx.role, 'signal:workflow'),
    canReset: can(ctx.role, 'reset:workflow'),
  });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();

/** The list's columns as checkboxes; the form sends them as one `cols` value, in the order shown. */
function ColumnPicker({ chosen, attributes }: { chosen: string[]; attributes: string[] }) {
  const { t } = useTranslation('workflows');
  const options: Array<[string, string]> = [...WORKFLOW_COLUMNS.map((c): [string, string] => [c, t(`columns.${c}`)]), ...attributes.map((a): [string, string] => [`sa:${a}`, a])];
  const [on, setOn] = useState(() => new Set(chosen));
  const value = options.map(([id]) => id).filter((id) => on.has(id)).join(',');
  const isDefault = value === DEFAULT_WORKFLOW_COLUMNS.join(',');
  return (
    <details className="wide" data-testid="column-picker">
      <summary>{t('list.columnsShown', { count: on.size })}</summary>
      <fieldset className="row">
        <legend className="sr-only">{t('list.columnsLegend')}</legend>
        {options.map(([id, label]) => (
          <label key={id} className="row">
            <input type="checkbox" checked={on.has(id)} onChange={(e) => setOn((prev) => { const next = new Set(prev); if (e.target.checked) next.add(id); else next.delete(id); return next; })} />
            {/* A search attribute's name is Temporal's, never translated. */}
            {id.startsWith('sa:') ? <span translate="no">{label}</span> : label}
          </label>
        ))}
      </fieldset>
      {!isDefault && <input type="hidden" name="cols" value={value || DEFAULT_WORKFLOW_COLUMNS.join(',')} />}
    </details>
  );
}

/** One of the chosen columns (`WORKFLOW_COLUMNS`, or `sa:<Name>` for a search attribute). */
function columnFor(id: string, tz: string, idle: Set<string>, t: TFunction<'workflows'>) {
  const when = (v: string | null) => (v ? <time dateTime={v}>{zoned(v, tz)}</time> : '—');
  switch (id as WorkflowColumn) {
    case 'type': return col.accessor('type', { header: t('columns.type') });
    case 'status':
      return col.accessor('status', {
        header: t('columns.status'),
        cell: (c) => (
          <>
            <WorkflowStatus status={c.getValue()} />
            {c.getValue() === 'RUNNING' && idle.has(c.row.original.taskQueue) && <span className="error" data-testid="row-no-worker"> · {t('list.noWorker')}</span>}
          </>
        ),
      });
    case 'stage': return col.accessor((r) => r.searchAttributes.OnboardingPhase ?? r.searchAttributes.SagaStatus ?? null, { id: 'stage', header: t('columns.stage'), cell: (c) => (c.getValue() as string | null) ?? '—' });
    case 'started': return col.accessor('startTime', { id: 'started', header: t('columns.started'), cell: (c) => when(c.getValue()) });
    case 'closed': return col.accessor('closeTime', { id: 'closed', header: t('columns.closed'), cell: (c) => when(c.getValue()) });
    case 'historyLength': return col.accessor('historyLength', { header: t('columns.historyLength') });
    case 'taskQueue': return col.accessor('taskQueue', { header: t('columns.taskQueue'), cell: (c) => <code>{c.getValue()}</code> });
  }
  const name = id.slice(3);
  return col.accessor((r) => r.searchAttributes[name] ?? null, {
    id,
    header: name,
    cell: (c) => {
      const v = c.getValue() as string | number | boolean | null;
      return v === null ? '—' : typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? when(v) : String(v);
    },
  });
}

export default function Workflows() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const { t } = useTranslation('workflows');
  const statusWords = useWorkflowStatusWords();
  const [selection, setSelection] = useState<Record<string, boolean>>({});
  const tz = d.tz;
  const base = `/t/${d.tenantId}/workflows`;
  const selectedIds = Object.keys(selection).filter((k) => selection[k]);
  // Batch buttons count, and send, only what they will act on: running workflows (and, for the
  // signals, running onboarding workflows); the closed ones selected are named as left alone.
  const selectedRows = d.rows.filter((r) => selection[r.workflowId]);
  const selectedRunning = selectedRows.filter((r) => r.status === 'RUNNING').map((r) => r.workflowId);
  const selectedSignalable = selectedRows.filter((r) => r.status === 'RUNNING' && r.type === ONBOARDING_WORKFLOW_TYPE).map((r) => r.workflowId);
  const leftAlone = (acted: number, why: string) => (selectedIds.length > acted ? t('batch.leftAlone', { count: selectedIds.length - acted, why }) : '');
  const idle = useMemo(() => new Set(d.idleQueues.map((q) => q.taskQueue)), [d.idleQueues]);
  const columns = useMemo(
    () => [
      col.display({
        id: 'select',
        header: ({ table }) => <input type="checkbox" aria-label={t('list.selectAll')} checked={table.getIsAllRowsSelected()} onChange={table.getToggleAllRowsSelectedHandler()} />,
        cell: ({ row }) => <input type="checkbox" aria-label={t('list.select', { id: row.id })} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />,
      }),
      col.accessor('workflowId', { header: t('columns.workflowId'), cell: (c) => <Link to={`${base}/${encodeURIComponent(c.getValue())}`}><code>{c.getValue()}</code></Link> }),
      ...d.cols.map((id) => columnFor(id, tz, idle, t)),
    ],
    [base, tz, idle, d.cols, t],
  );
  // A batch over the filter sends the same fields, zone included, so it acts on the window the list shows.
  const filterFields = Object.entries({ ...d.filter, tz }).filter(([, v]) => v !== undefined) as [string, string][];
  const statusLink = (status?: string) => withQuery(search, { status, cursor: null });
  const allowed = { terminate: d.canTerminate, cancel: d.canCancel, reset: d.canReset } as const;
  const batch = (op: keyof typeof allowed, scope: 'selection' | 'filter') => {
    const n = scope === 'selection' ? selectedRunning.length : d.runningMatching;
    if (!allowed[op]) return null;
    const words = { effect: t(`batch.${op}.effect`, { count: n }), after: t(`batch.${op}.after`) };
    return (
      <ActionDialog
        key={`${op}-${scope}`}
        label={t(`batch.${op}.${scope}`, { count: n })}
        testId={`batch-${op}-${scope}`}
        actionUrl={`${base}/batch`}
        danger={op !== 'cancel'}
        reason={op === 'cancel' ? 'optional' : 'required'}
        disabled={n === 0}
        disabledReason={scope === 'selection' ? t('batch.noneSelected') : t('batch.noneMatching')}
        confirmText={`${t(scope === 'filter' ? 'batch.confirmFilter' : 'batch.confirm', words)}${scope === 'selection' ? leftAlone(n, t('batch.whyClosed')) : ''}`}
      >
        {op === 'reset' && (
          <label>{t('batch.resetTo')}<select name="resetTo" defaultValue="last"><option value="last">{t('batch.resetLast')}</option><option value="first">{t('batch.resetFirst')}</option></select></label>
        )}
        <input type="hidden" name="op" value={op} />
        <input type="hidden" name="scope" value={scope} />
        {scope === 'selection' && <input type="hidden" name="ids" value={selectedRunning.join(',')} />}
        {scope === 'filter' && filterFields.map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <input type="hidden" name="expectedCount" value={n} />
      </ActionDialog>
    );
  };
  return (
    <main className="page">
      <div className="row" style={{ justifyContent: 'space-between', alignItems: 'baseline' }}>
        <h1>{t('title')}</h1>
        <span className="row">
          <a href={`${base}.csv${withQuery(search, { cursor: null, size: null, view: null })}`} download data-testid="export-csv">{t('list.exportCsv', { count: d.matching })}</a>
          <Link to={`${base}/jobs`}>{t('list.batchJobs')}</Link>
        </span>
      </div>
      {d.idleQueues.map((q) => (
        <p key={q.taskQueue} className="card error" role="alert" data-testid="no-poller-warning">
          <Trans t={t} i18nKey="list.noPoller" values={{ queue: q.taskQueue, count: q.running }} components={{ code: <code /> }} />
        </p>
      ))}
      <div className="card" data-testid="status-counts">
        <Link className="stat" to={statusLink()}><b>{Object.values(d.counts).reduce((a, b) => a + b, 0)}</b>{t('list.all')}</Link>
        {Object.entries(d.counts).map(([s, n]) => (
          <Link key={s} className="stat" to={statusLink(s)}><b>{n}</b>{statusWords(s)}</Link>
        ))}
      </div>
      <section className="card row" data-testid="saved-views" aria-label={t('views.label')}>
        <b>{t('views.title')}</b>
        <Link to="?view=all">{t('views.allWorkflows')}</Link>
        {d.views.map((v) => (
          <Link key={v.id} to={`?sv=${v.id}`} aria-current={d.savedView?.id === v.id ? 'page' : undefined}>
            {v.name} <span className="muted">({v.shared ? (v.mine ? t('views.shared') : t('views.sharedBy', { email: v.ownerEmail })) : t('views.private')}{v.defaultForRole ? t('views.defaultFor', { role: v.defaultForRole }) : ''})</span>
          </Link>
        ))}
        <ActionDialog label={t('views.save')} testId="save-view" actionUrl={`${base}/views`} reason="none" confirmText={t('views.saveConfirm')}>
          <input type="hidden" name="query" value={d.currentQuery} />
          <label>{t('views.name')}<input name="name" required maxLength={80} /></label>
          <label><input type="checkbox" name="shared" /> {t('views.share')}</label>
          {d.isAdmin && <label>{t('views.defaultForRole')}<select name="defaultForRole" defaultValue=""><option value="">{t('views.noRole')}</option>{ROLES.map((r) => <option key={r}>{r}</option>)}</select></label>}
        </ActionDialog>
        {d.savedView && <span data-testid="open-view">{t('views.showing', { name: d.savedView.name })}</span>}
        {d.savedView?.canChange && (
          <>
            <ActionDialog label={t('views.update')} testId="update-view" actionUrl={`${base}/views/${d.savedView.id}`} reason="none"
              confirmText={t('views.updateConfirm')}>
              <input type="hidden" name="op" value="update" />
              <input type="hidden" name="query" value={d.currentQuery} />
              <label>{t('views.name')}<input name="name" required maxLength={80} defaultValue={d.savedView.name} /></label>
              <label><input type="checkbox" name="shared" defaultChecked={d.savedView.shared} /> {t('views.share')}</label>
              {d.isAdmin && <label>{t('views.defaultForRole')}<select name="defaultForRole" defaultValue={d.savedView.defaultForRole ?? ''}><option value="">{t('views.noRole')}</option>{ROLES.map((r) => <option key={r}>{r}</option>)}</select></label>}
            </ActionDialog>
            <ActionDialog label={t('views.delete')} testId="delete-view" actionUrl={`${base}/views/${d.savedView.id}`} reason="none" danger
              confirmText={t(d.savedView.shared ? 'views.deleteSharedConfirm' : 'views.deleteConfirm', { name: d.savedView.name })}
              onDone={(r) => { if (r.ok) navigate(`${base}?view=all`); }}>
              <input type="hidden" name="op" value="delete" />
            </ActionDialog>
          </>
        )}
      </section>
      <Form method="get" className="filters">
        <label>{t('filters.status')}<select name="status" defaultValue={d.filter.status ?? ''}><option value="">{t('filters.any')}</option>{STATUSES.map((s) => <option key={s} value={s}>{statusWords(s)}</option>)}</select></label>
        <label>{t('filters.type')}<select name="type" defaultValue={d.filter.type ?? ''}><option value="">{t('filters.any')}</option>{WORKFLOW_TYPES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>{t('filters.startedAfter', { tz })}<input type="datetime-local" step={1} name="from" defaultValue={d.inputs.from} /></label>
        <label>{t('filters.startedBefore', { tz })}<input type="datetime-local" step={1} name="to" defaultValue={d.inputs.to} /></label>
        {d.filter.tz && <input type="hidden" name="tz" value={d.filter.tz} />}
        <label>{t('filters.phase')}<select name="phase" defaultValue={d.filter.phase ?? ''}><option value="">{t('filters.any')}</option>{PHASES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>{t('filters.orderId')}<input name="orderId" defaultValue={d.filter.orderId ?? ''} /></label>
        <label>{t('filters.workflowId')}<input name="workflowId" defaultValue={d.filter.workflowId ?? ''} /></label>
        {ATTRIBUTE_SLOTS.map((i) => (
          <fieldset key={i} className="row" data-testid={`attribute-filter-${i}`}>
            <legend className="sr-only">{t('filters.attributeLegend', { i })}</legend>
            <label>{t('filters.attribute', { i })}<select name={`a${i}`} defaultValue={d.filter[`a${i}`] ?? ''}><option value="">—</option>{Object.entries(d.attributes).map(([name, type]) => <option key={name} value={name} translate="no">{name} ({type})</option>)}</select></label>
            <label>{t('filters.comparison', { i })}<select name={`o${i}`} defaultValue={d.filter[`o${i}`] ?? 'eq'}>{Object.entries(ATTRIBUTE_OPS).map(([k, op]) => <option key={k} value={k}>{op}</option>)}</select></label>
            <label>{t('filters.value', { i })}<input name={`v${i}`} defaultValue={d.filter[`v${i}`] ?? ''} maxLength={200} /></label>
          </fieldset>
        ))}
        <label className="wide">{t('filters.advanced')}
          <input name="q" defaultValue={d.filter.q ?? ''} maxLength={2000} placeholder="TrialDay >= 7 AND Subscribed = false" translate="no" />
        </label>
        <label>{t('filters.pageSize')}<select name="size" defaultValue={String(d.size)}>{PAGE_SIZES.map((n) => <option key={n}>{n}</option>)}</select></label>
        <ColumnPicker chosen={d.cols} attributes={Object.keys(d.attributes)} />
        <label>{t('filters.view')}<select name="view" defaultValue={d.view}><option value="all">{t('filters.viewAll')}</option><option value="stuck">{t('filters.viewStuck')}</option></select></label>
        <button type="submit">{t('filters.apply')}</button>
      </Form>
      <p className="muted" data-testid="time-zone">
        {t('filters.timesIn', { tz })}
        {d.window.from && <> {t('filters.after', { zoned: zoned(d.window.from, tz), utc: utc(d.window.from) })}</>}
        {d.window.to && <> {t('filters.before', { zoned: zoned(d.window.to, tz), utc: utc(d.window.to) })}</>}
      </p>
      {d.view === 'stuck' ? (
        <section data-testid="stuck">
          <h2>{t('stuck.title', { count: d.stuck.length })}</h2>
          {d.stuck.length === 0 ? <p className="muted">{t('stuck.none')}</p> : (
            <div className="scroll" tabIndex={0}>
              <table className="data">
                <thead><tr><th>{t('stuck.workflow')}</th><th>{t('stuck.activity')}</th><th>{t('stuck.attempt')}</th><th>{t('stuck.lastFailure')}</th></tr></thead>
                <tbody>
                  {d.stuck.flatMap((s) => s.activities.map((a, i) => (
                    <tr key={`${s.row.workflowId}-${i}`}>
                      <td><Link to={`${base}/${encodeURIComponent(s.row.workflowId)}`}><code>{s.row.workflowId}</code></Link></td>
                      <td>{a.activityType}</td><td>{a.attempt}</td><td className="error">{a.lastFailure ?? '—'}</td>
                    </tr>
                  )))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : (
        <>
          <div className="row" style={{ alignItems: 'start', marginBottom: '1rem' }}>
            {batch('cancel', 'selection')}{batch('terminate', 'selection')}{batch('reset', 'selection')}
            {batch('cancel', 'filter')}{batch('terminate', 'filter')}{batch('reset', 'filter')}
            {d.canSignal && <ActionDialog
              label={t('batch.signal', { count: selectedSignalable.length })}
              testId="batch-signal-selection"
              actionUrl={`${base}/batch`}
              disabled={selectedSignalable.length === 0}
              disabledReason={t('batch.noOnboardingSelected')}
              confirmText={`${t('batch.signalConfirm', { count: selectedSignalable.length })}${leftAlone(selectedSignalable.length, t('batch.whyNotOnboarding'))}`}
            >
              <input type="hidden" name="op" value="signal" />
              <input type="hidden" name="scope" value="selection" />
              <input type="hidden" name="ids" value={selectedSignalable.join(',')} />
              <input type="hidden" name="expectedCount" value={selectedSignalable.length} />
              <label>{t('batch.signalLabel')}<select name="signal"><option>fonctionnalitéActivée</option><option>onboardingComplété</option></select></label>
              <label>{t('batch.feature', { signal: 'fonctionnalitéActivée' })}<input name="fonctionnalité" maxLength={100} /></label>
            </ActionDialog>}
          </div>
          <DataTable testId="workflow-table" data={d.rows} columns={columns} getRowId={(r) => r.workflowId} rowSelection={selection} onRowSelectionChange={setSelection} empty={t('list.empty')} />
          <Pager param="cursor" next={d.nextCursor} />
        </>
      )}
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
