import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigate, useSearchParams } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { ActionDialog } from '~/components/action-dialog';
import { DataTable } from '~/components/data-table';
import { Pager } from '~/components/pager';
import { withQuery } from '~/components/query';
import { instantToWallTime, isWallTime, utc, zoned } from '~/components/time';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { can } from '~/server/permissions';
import { stuckActivities } from '~/workflows/stuck.server';
import { idleTaskQueues } from '~/workflows/workers.server';
import { temporal } from '~/server/temporal.server';
import { ATTRIBUTE_OPS, ATTRIBUTE_SLOTS, DEFAULT_WORKFLOW_COLUMNS, ONBOARDING_WORKFLOW_TYPE, PAGE_SIZES, PHASES, STATUS_WORDS, STATUSES, WORKFLOW_COLUMNS, type WorkflowStatusName, WORKFLOW_TYPES, type WorkflowColumn } from '~/workflows/labels';
import { countByStatus, sortedWorkflowPage } from '~/workflows/visibility.server';
import { inOperatorZone, refuseInvalidQuery, refuseUnknownColumns, startTimeWindow, workflowListQuery, workflowQueryClause } from '~/workflows/filters.server';
import { customSearchAttributes } from '~/workflows/query.server';
import { canChangeView, defaultViewFor, listSavedViews, parseViewQuery, savedViewFor, viewQueryOf, withView } from '~/workflows/views.server';
import { ROLES } from '~/server/permissions';
import { z } from 'zod';
import { WorkflowStatus } from '~/components/workflow-status';

export const meta: MetaFunction = () => [{ title: 'Workflows · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  // A saved view (?sv=<id>), or the role's default view on a bare list, gives the filters.
  const { sv } = parseSearch(request, z.object({ sv: z.string().max(100).optional() }));
  const url = new URL(request.url);
  const saved = sv ? await savedViewFor(ctx, sv) : [...url.searchParams.keys()].every((k) => k === 'tz') ? await defaultViewFor(ctx) : null;
  const listParams = saved ? withView(saved.query, url.searchParams) : url.searchParams;
  const { view, cursor, size, cols, ...filter } = saved ? parseViewQuery(listParams.toString()) : parseSearch(request, workflowListQuery);
  // Wall-clock bounds are read in the zone the URL names, else in the operator's own.
  const zonedFilter = inOperatorZone(filter, ctx);
  const views = await listSavedViews(ctx);
  const client = await temporal();
  const [clause, withoutStatus, attributes] = await Promise.all([
    workflowQueryClause(client, view === 'stuck' ? { ...zonedFilter, status: 'Running' } : zonedFilter),
    workflowQueryClause(client, { ...zonedFilter, status: undefined }),
    customSearchAttributes(client),
  ]);
  refuseUnknownColumns(cols, attributes);
  const [counts, page] = await Promise.all([
    countByStatus(client, ctx.tenantId, withoutStatus),
    sortedWorkflowPage(client, ctx.tenantId, { filter: clause, pageSize: view === 'stuck' ? 100 : size, cursor: cursor ?? null }),
  ]).catch(refuseInvalidQuery);
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
  const options: Array<[string, string]> = [...Object.entries(WORKFLOW_COLUMNS), ...attributes.map((a): [string, string] => [`sa:${a}`, a])];
  const [on, setOn] = useState(() => new Set(chosen));
  const value = options.map(([id]) => id).filter((id) => on.has(id)).join(',');
  const isDefault = value === DEFAULT_WORKFLOW_COLUMNS.join(',');
  return (
    <details className="wide" data-testid="column-picker">
      <summary>Columns ({on.size} shown)</summary>
      <fieldset className="row">
        <legend className="sr-only">Columns shown besides the workflow id</legend>
        {options.map(([id, label]) => (
          <label key={id} className="row">
            <input type="checkbox" checked={on.has(id)} onChange={(e) => setOn((prev) => { const next = new Set(prev); if (e.target.checked) next.add(id); else next.delete(id); return next; })} />
            {label}
          </label>
        ))}
      </fieldset>
      {!isDefault && <input type="hidden" name="cols" value={value || DEFAULT_WORKFLOW_COLUMNS.join(',')} />}
    </details>
  );
}

/** One of the chosen columns (`WORKFLOW_COLUMNS`, or `sa:<Name>` for a search attribute). */
function columnFor(id: string, tz: string, idle: Set<string>) {
  const when = (v: string | null) => (v ? <time dateTime={v}>{zoned(v, tz)}</time> : '—');
  switch (id as WorkflowColumn) {
    case 'type': return col.accessor('type', { header: WORKFLOW_COLUMNS.type });
    case 'status':
      return col.accessor('status', {
        header: WORKFLOW_COLUMNS.status,
        cell: (c) => (
          <>
            <WorkflowStatus status={c.getValue()} />
            {c.getValue() === 'RUNNING' && idle.has(c.row.original.taskQueue) && <span className="error" data-testid="row-no-worker"> · no worker</span>}
          </>
        ),
      });
    case 'stage': return col.accessor((r) => r.searchAttributes.OnboardingPhase ?? r.searchAttributes.SagaStatus ?? null, { id: 'stage', header: WORKFLOW_COLUMNS.stage, cell: (c) => (c.getValue() as string | null) ?? '—' });
    case 'started': return col.accessor('startTime', { id: 'started', header: WORKFLOW_COLUMNS.started, cell: (c) => when(c.getValue()) });
    case 'closed': return col.accessor('closeTime', { id: 'closed', header: WORKFLOW_COLUMNS.closed, cell: (c) => when(c.getValue()) });
    case 'historyLength': return col.accessor('historyLength', { header: WORKFLOW_COLUMNS.historyLength });
    case 'taskQueue': return col.accessor('taskQueue', { header: WORKFLOW_COLUMNS.taskQueue, cell: (c) => <code>{c.getValue()}</code> });
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
  const [selection, setSelection] = useState<Record<string, boolean>>({});
  const tz = d.tz;
  const base = `/t/${d.tenantId}/workflows`;
  const selectedIds = Object.keys(selection).filter((k) => selection[k]);
  // Batch buttons count, and send, only what they will act on: running workflows (and, for the
  // signals, running onboarding workflows); the closed ones selected are named as left alone.
  const selectedRows = d.rows.filter((r) => selection[r.workflowId]);
  const selectedRunning = selectedRows.filter((r) => r.status === 'RUNNING').map((r) => r.workflowId);
  const selectedSignalable = selectedRows.filter((r) => r.status === 'RUNNING' && r.type === ONBOARDING_WORKFLOW_TYPE).map((r) => r.workflowId);
  const leftAlone = (acted: number, why: string) => (selectedIds.length > acted ? ` ${selectedIds.length - acted} other selected workflow(s) are left alone (${why}).` : '');
  const idle = useMemo(() => new Set(d.idleQueues.map((q) => q.taskQueue)), [d.idleQueues]);
  const columns = useMemo(
    () => [
      col.display({
        id: 'select',
        header: ({ table }) => <input type="checkbox" aria-label="Select all on this page" checked={table.getIsAllRowsSelected()} onChange={table.getToggleAllRowsSelectedHandler()} />,
        cell: ({ row }) => <input type="checkbox" aria-label={`Select ${row.id}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />,
      }),
      col.accessor('workflowId', { header: 'Workflow id', cell: (c) => <Link to={`${base}/${encodeURIComponent(c.getValue())}`}><code>{c.getValue()}</code></Link> }),
      ...d.cols.map((id) => columnFor(id, tz, idle)),
    ],
    [base, tz, idle, d.cols],
  );
  // A batch over the filter sends the same fields, zone included, so it acts on the window the list shows.
  const filterFields = Object.entries({ ...d.filter, tz }).filter(([, v]) => v !== undefined) as [string, string][];
  const statusLink = (status?: string) => withQuery(search, { status, cursor: null });
  const OPS = {
    terminate: { verb: 'Terminate', allowed: d.canTerminate, effect: 'Terminate', after: 'Terminated workflows run no cleanup and cannot be resumed.' },
    cancel: { verb: 'Cancel', allowed: d.canCancel, effect: 'Request cancellation of', after: 'Each workflow runs its own cleanup.' },
    reset: { verb: 'Reset', allowed: d.canReset, effect: 'Reset', after: 'Each gets a new run replayed from the chosen workflow task (signals received since are applied again); the current run is terminated. Progress is on the batch jobs page.' },
  } as const;
  const batch = (op: keyof typeof OPS, scope: 'selection' | 'filter') => {
    const n = scope === 'selection' ? selectedRunning.length : d.runningMatching;
    const o = OPS[op];
    if (!o.allowed) return null;
    return (
      <ActionDialog
        key={`${op}-${scope}`}
        label={`${o.verb} ${scope === 'selection' ? `${n} selected` : `all ${n} matching`}`}
        testId={`batch-${op}-${scope}`}
        actionUrl={`${base}/batch`}
        danger={op !== 'cancel'}
        reason={op === 'cancel' ? 'optional' : 'required'}
        disabled={n === 0}
        disabledReason={scope === 'selection' ? 'No running workflow selected' : 'No running workflow matches'}
        confirmText={`${o.effect} ${n} running workflow(s)${scope === 'filter' ? ' matching the current filters' : ''}. ${o.after}${scope === 'selection' ? leftAlone(n, 'closed') : ''}`}
      >
        {op === 'reset' && (
          <label>Reset to<select name="resetTo" defaultValue="last"><option value="last">the last completed workflow task</option><option value="first">the first workflow task</option></select></label>
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
        <h1>Workflows</h1>
        <span className="row">
          <a href={`${base}.csv${withQuery(search, { cursor: null, size: null, view: null })}`} download data-testid="export-csv">Export CSV (all {d.matching})</a>
          <Link to={`${base}/jobs`}>Batch jobs</Link>
        </span>
      </div>
      {d.idleQueues.map((q) => (
        <p key={q.taskQueue} className="card error" role="alert" data-testid="no-poller-warning">
          No worker is polling the task queue <code>{q.taskQueue}</code>: {q.running} running workflow{q.running === 1 ? '' : 's'} on this page cannot make progress until one starts.
        </p>
      ))}
      <div className="card" data-testid="status-counts">
        <Link className="stat" to={statusLink()}><b>{Object.values(d.counts).reduce((a, b) => a + b, 0)}</b>all</Link>
        {Object.entries(d.counts).map(([s, n]) => (
          <Link key={s} className="stat" to={statusLink(s)}><b>{n}</b>{STATUS_WORDS[s as WorkflowStatusName] ?? s}</Link>
        ))}
      </div>
      <section className="card row" data-testid="saved-views" aria-label="Saved views">
        <b>Views</b>
        <Link to="?view=all">All workflows</Link>
        {d.views.map((v) => (
          <Link key={v.id} to={`?sv=${v.id}`} aria-current={d.savedView?.id === v.id ? 'page' : undefined}>
            {v.name} <span className="muted">({v.shared ? `shared${v.mine ? '' : ` by ${v.ownerEmail}`}` : 'private'}{v.defaultForRole ? `, default for ${v.defaultForRole}` : ''})</span>
          </Link>
        ))}
        <ActionDialog label="Save this view" testId="save-view" actionUrl={`${base}/views`} reason="none" confirmText="Save the current filters and page size under a name.">
          <input type="hidden" name="query" value={d.currentQuery} />
          <label>View name<input name="name" required maxLength={80} /></label>
          <label><input type="checkbox" name="shared" /> Share with the team</label>
          {d.isAdmin && <label>Default view for<select name="defaultForRole" defaultValue=""><option value="">no role</option>{ROLES.map((r) => <option key={r}>{r}</option>)}</select></label>}
        </ActionDialog>
        {d.savedView && <span data-testid="open-view">Showing view “{d.savedView.name}”</span>}
        {d.savedView?.canChange && (
          <>
            <ActionDialog label="Update this view" testId="update-view" actionUrl={`${base}/views/${d.savedView.id}`} reason="none"
              confirmText="Replace the view’s filters, page size and columns with the current ones, and its name and sharing with these.">
              <input type="hidden" name="op" value="update" />
              <input type="hidden" name="query" value={d.currentQuery} />
              <label>View name<input name="name" required maxLength={80} defaultValue={d.savedView.name} /></label>
              <label><input type="checkbox" name="shared" defaultChecked={d.savedView.shared} /> Share with the team</label>
              {d.isAdmin && <label>Default view for<select name="defaultForRole" defaultValue={d.savedView.defaultForRole ?? ''}><option value="">no role</option>{ROLES.map((r) => <option key={r}>{r}</option>)}</select></label>}
            </ActionDialog>
            <ActionDialog label="Delete this view" testId="delete-view" actionUrl={`${base}/views/${d.savedView.id}`} reason="none" danger
              confirmText={`Delete the view “${d.savedView.name}”${d.savedView.shared ? ' for the whole team' : ''}. The workflows are not touched.`}
              onDone={(r) => { if (r.ok) navigate(`${base}?view=all`); }}>
              <input type="hidden" name="op" value="delete" />
            </ActionDialog>
          </>
        )}
      </section>
      <Form method="get" className="filters">
        <label>Status<select name="status" defaultValue={d.filter.status ?? ''}><option value="">any</option>{STATUSES.map((s) => <option key={s} value={s}>{STATUS_WORDS[s]}</option>)}</select></label>
        <label>Type<select name="type" defaultValue={d.filter.type ?? ''}><option value="">any</option>{WORKFLOW_TYPES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Started after ({tz})<input type="datetime-local" step={1} name="from" defaultValue={d.inputs.from} /></label>
        <label>Started before ({tz})<input type="datetime-local" step={1} name="to" defaultValue={d.inputs.to} /></label>
        {d.filter.tz && <input type="hidden" name="tz" value={d.filter.tz} />}
        <label>Phase<select name="phase" defaultValue={d.filter.phase ?? ''}><option value="">any</option>{PHASES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Order id<input name="orderId" defaultValue={d.filter.orderId ?? ''} /></label>
        <label>Workflow id<input name="workflowId" defaultValue={d.filter.workflowId ?? ''} /></label>
        {ATTRIBUTE_SLOTS.map((i) => (
          <fieldset key={i} className="row" data-testid={`attribute-filter-${i}`}>
            <legend className="sr-only">Search attribute condition {i}</legend>
            <label>Attribute {i}<select name={`a${i}`} defaultValue={d.filter[`a${i}`] ?? ''}><option value="">—</option>{Object.entries(d.attributes).map(([name, type]) => <option key={name} value={name}>{name} ({type})</option>)}</select></label>
            <label>Comparison {i}<select name={`o${i}`} defaultValue={d.filter[`o${i}`] ?? 'eq'}>{Object.entries(ATTRIBUTE_OPS).map(([k, op]) => <option key={k} value={k}>{op}</option>)}</select></label>
            <label>Value {i}<input name={`v${i}`} defaultValue={d.filter[`v${i}`] ?? ''} maxLength={200} /></label>
          </fieldset>
        ))}
        <label className="wide">Advanced query (Temporal visibility syntax; the tenant is added by the console)
          <input name="q" defaultValue={d.filter.q ?? ''} maxLength={2000} placeholder="TrialDay >= 7 AND Subscribed = false" />
        </label>
        <label>Page size<select name="size" defaultValue={String(d.size)}>{PAGE_SIZES.map((n) => <option key={n}>{n}</option>)}</select></label>
        <ColumnPicker chosen={d.cols} attributes={Object.keys(d.attributes)} />
        <label>View<select name="view" defaultValue={d.view}><option value="all">all</option><option value="stuck">stuck on a failing activity</option></select></label>
        <button type="submit">Apply</button>
      </Form>
      <p className="muted" data-testid="time-zone">
        Times in {tz}.
        {d.window.from && <> Started after {zoned(d.window.from, tz)} ({utc(d.window.from)}).</>}
        {d.window.to && <> Started before {zoned(d.window.to, tz)} ({utc(d.window.to)}).</>}
      </p>
      {d.view === 'stuck' ? (
        <section data-testid="stuck">
          <h2>Stuck on a failing activity ({d.stuck.length})</h2>
          {d.stuck.length === 0 ? <p className="muted">No running workflow is retrying a failing activity.</p> : (
            <div className="scroll" tabIndex={0}>
              <table className="data">
                <thead><tr><th>Workflow</th><th>Activity</th><th>Attempt</th><th>Last failure</th></tr></thead>
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
              label={`Signal ${selectedSignalable.length} selected`}
              testId="batch-signal-selection"
              actionUrl={`${base}/batch`}
              disabled={selectedSignalable.length === 0}
              disabledReason="No running onboarding workflow selected"
              confirmText={`Send a signal to the ${selectedSignalable.length} selected running onboarding workflow(s).${leftAlone(selectedSignalable.length, 'closed, or not an onboarding')}`}
            >
              <input type="hidden" name="op" value="signal" />
              <input type="hidden" name="scope" value="selection" />
              <input type="hidden" name="ids" value={selectedSignalable.join(',')} />
              <input type="hidden" name="expectedCount" value={selectedSignalable.length} />
              <label>Signal<select name="signal"><option>fonctionnalitéActivée</option><option>onboardingComplété</option></select></label>
              <label>Feature (for fonctionnalitéActivée)<input name="fonctionnalité" maxLength={100} /></label>
            </ActionDialog>}
          </div>
          <DataTable testId="workflow-table" data={d.rows} columns={columns} getRowId={(r) => r.workflowId} rowSelection={selection} onRowSelectionChange={setSelection} empty="No workflow of this tenant matches." />
          <Pager param="cursor" next={d.nextCursor} />
        </>
      )}
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
