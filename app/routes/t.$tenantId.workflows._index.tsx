import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { ActionDialog } from '~/components/action-dialog';
import { DataTable } from '~/components/data-table';
import { Pager } from '~/components/pager';
import { withQuery } from '~/components/query';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { can } from '~/server/permissions';
import { stuckActivities } from '~/workflows/stuck.server';
import { temporal } from '~/server/temporal.server';
import { PHASES, STATUSES, WORKFLOW_TYPES } from '~/workflows/labels';
import { countByStatus, sortedWorkflowPage } from '~/workflows/visibility.server';
import { workflowFilterClause, workflowListQuery } from '~/workflows/filters.server';

export const meta: MetaFunction = () => [{ title: 'Workflows · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const { view, cursor, ...filter } = parseSearch(request, workflowListQuery);
  const clause = workflowFilterClause(filter);
  const client = await temporal();
  const withoutStatus = workflowFilterClause({ ...filter, status: undefined });
  const [counts, page] = await Promise.all([
    countByStatus(client, ctx.tenantId, withoutStatus),
    sortedWorkflowPage(client, ctx.tenantId, {
      filter: view === 'stuck' ? workflowFilterClause({ ...filter, status: 'Running' }) : clause,
      pageSize: view === 'stuck' ? 100 : 50,
      cursor: cursor ?? null,
    }),
  ]);
  const stuck = view === 'stuck' ? await stuckActivities(client, page.rows) : [];
  const matching = filter.status ? (counts[filter.status] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0);
  return json({
    tenantId: ctx.tenantId,
    filter,
    view,
    counts,
    matching,
    rows: page.rows,
    nextCursor: page.nextCursor,
    stuck,
    canTerminate: can(ctx.role, 'terminate:workflow'),
    canCancel: can(ctx.role, 'cancel:workflow'),
    canSignal: can(ctx.role, 'signal:workflow'),
  });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();

export default function Workflows() {
  const d = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const [selection, setSelection] = useState<Record<string, boolean>>({});
  const base = `/t/${d.tenantId}/workflows`;
  const selectedIds = Object.keys(selection).filter((k) => selection[k]);
  const columns = useMemo(
    () => [
      col.display({
        id: 'select',
        header: ({ table }) => <input type="checkbox" aria-label="Select all on this page" checked={table.getIsAllRowsSelected()} onChange={table.getToggleAllRowsSelectedHandler()} />,
        cell: ({ row }) => <input type="checkbox" aria-label={`Select ${row.id}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />,
      }),
      col.accessor('workflowId', { header: 'Workflow id', cell: (c) => <Link to={`${base}/${encodeURIComponent(c.getValue())}`}><code>{c.getValue()}</code></Link> }),
      col.accessor('type', { header: 'Type' }),
      col.accessor('status', { header: 'Status', cell: (c) => <span className={`badge ${c.getValue().toLowerCase()}`}>{c.getValue()}</span> }),
      col.accessor((r) => r.searchAttributes.OnboardingPhase ?? r.searchAttributes.SagaStatus ?? null, { id: 'stage', header: 'Phase / saga', cell: (c) => (c.getValue() as string | null) ?? '—' }),
      col.accessor('startTime', { header: 'Started', cell: (c) => new Date(c.getValue()).toLocaleString() }),
      col.accessor('closeTime', { header: 'Closed', cell: (c) => (c.getValue() ? new Date(c.getValue()!).toLocaleString() : '—') }),
    ],
    [base],
  );
  const filterFields = Object.entries(d.filter).filter(([, v]) => v !== undefined) as [string, string][];
  const statusLink = (status?: string) => withQuery(search, { status, cursor: null });
  const batch = (op: 'terminate' | 'cancel', scope: 'selection' | 'filter') => {
    const n = scope === 'selection' ? selectedIds.length : d.matching;
    const allowed = op === 'terminate' ? d.canTerminate : d.canCancel;
    if (!allowed) return null;
    return (
      <ActionDialog
        key={`${op}-${scope}`}
        label={`${op === 'terminate' ? 'Terminate' : 'Cancel'} ${scope === 'selection' ? `${n} selected` : `all ${n} matching`}`}
        testId={`batch-${op}-${scope}`}
        actionUrl={`${base}/batch`}
        danger={op === 'terminate'}
        reason={op === 'terminate' ? 'required' : 'optional'}
        disabled={n === 0}
        disabledReason="Nothing selected"
        confirmText={`${op === 'terminate' ? 'Terminate' : 'Request cancellation of'} ${n} workflow(s)${scope === 'filter' ? ' matching the current filters (running ones only are affected)' : ''}. ${op === 'terminate' ? 'Terminated workflows run no cleanup and cannot be resumed.' : 'Each workflow runs its own cleanup.'}`}
      >
        <input type="hidden" name="op" value={op} />
        <input type="hidden" name="scope" value={scope} />
        {scope === 'selection' && <input type="hidden" name="ids" value={selectedIds.join(',')} />}
        {scope === 'filter' && filterFields.map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <input type="hidden" name="expectedCount" value={n} />
      </ActionDialog>
    );
  };
  return (
    <main className="page">
      <h1>Workflows</h1>
      <div className="card" data-testid="status-counts">
        <Link className="stat" to={statusLink()}><b>{Object.values(d.counts).reduce((a, b) => a + b, 0)}</b>all</Link>
        {Object.entries(d.counts).map(([s, n]) => (
          <Link key={s} className="stat" to={statusLink(s)}><b>{n}</b>{s}</Link>
        ))}
      </div>
      <Form method="get" className="filters">
        <label>Status<select name="status" defaultValue={d.filter.status ?? ''}><option value="">any</option>{STATUSES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Type<select name="type" defaultValue={d.filter.type ?? ''}><option value="">any</option>{WORKFLOW_TYPES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Started after<input type="datetime-local" name="from" defaultValue={d.filter.from?.slice(0, 16) ?? ''} /></label>
        <label>Started before<input type="datetime-local" name="to" defaultValue={d.filter.to?.slice(0, 16) ?? ''} /></label>
        <label>Phase<select name="phase" defaultValue={d.filter.phase ?? ''}><option value="">any</option>{PHASES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Order id<input name="orderId" defaultValue={d.filter.orderId ?? ''} /></label>
        <label>Workflow id<input name="workflowId" defaultValue={d.filter.workflowId ?? ''} /></label>
        <label>View<select name="view" defaultValue={d.view}><option value="all">all</option><option value="stuck">stuck on a failing activity</option></select></label>
        <button type="submit">Apply</button>
      </Form>
      {d.view === 'stuck' ? (
        <section data-testid="stuck">
          <h2>Stuck on a failing activity ({d.stuck.length})</h2>
          {d.stuck.length === 0 ? <p className="muted">No running workflow is retrying a failing activity.</p> : (
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
          )}
        </section>
      ) : (
        <>
          <div className="row" style={{ alignItems: 'start', marginBottom: '1rem' }}>
            {batch('cancel', 'selection')}{batch('terminate', 'selection')}{batch('cancel', 'filter')}{batch('terminate', 'filter')}
            {d.canSignal && <ActionDialog
              label={`Signal ${selectedIds.length} selected`}
              testId="batch-signal-selection"
              actionUrl={`${base}/batch`}
              disabled={selectedIds.length === 0}
              disabledReason="Nothing selected"
              confirmText={`Send a signal to the ${selectedIds.length} selected onboarding workflow(s) that are running.`}
            >
              <input type="hidden" name="op" value="signal" />
              <input type="hidden" name="scope" value="selection" />
              <input type="hidden" name="ids" value={selectedIds.join(',')} />
              <input type="hidden" name="expectedCount" value={selectedIds.length} />
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
