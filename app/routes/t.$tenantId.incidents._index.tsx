import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { DataTable } from '~/components/data-table';
import { FinanceTabs } from '~/components/finance-tabs';
import { NEWEST_FIRST, Pager } from '~/components/pager';
import { withQuery } from '~/components/query';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { incidentListSchema, listIncidents } from '~/finance/incidents.server';
import { INCIDENT_BADGE, INCIDENT_STATUSES, STATUS_BADGE, STEP_LABELS, statusLabel } from '~/finance/labels';
import { Time } from '~/components/zoned-time';

export const meta: MetaFunction = () => [{ title: 'Finance incidents · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const filters = parseSearch(request, incidentListSchema);
  return json({ tenantId: ctx.tenantId, params: filters, ...(await listIncidents(ctx, filters)) });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();

export default function Incidents() {
  const data = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const base = `/t/${data.tenantId}`;
  const columns = useMemo(
    () => [
      col.accessor('createdAt', { header: 'Opened', cell: (c) => <Link to={`${base}/incidents/${c.row.original.id}`}><Time at={c.getValue()} /></Link> }),
      col.accessor('orderId', { header: 'Order', cell: (c) => <Link to={`${base}/payments/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link> }),
      col.accessor('severity', { header: 'Severity', cell: (c) => <span className={`badge ${c.getValue() === 'high' ? 'failed' : ''}`}>{c.getValue()}</span> }),
      col.accessor('failedStep', { header: 'Failed step', cell: (c) => (c.getValue() ? STEP_LABELS[c.getValue()!] ?? c.getValue() : '—') }),
      col.accessor('sagaStatus', { header: 'Saga', cell: (c) => <span className={`badge ${STATUS_BADGE[c.getValue()] ?? ''}`}>{statusLabel(c.getValue())}</span> }),
      col.accessor('status', { header: 'Status', cell: (c) => <span className={`badge ${INCIDENT_BADGE[c.getValue()] ?? ''}`}>{c.getValue()}</span> }),
      col.accessor('assignee', { header: 'Assigned to', cell: (c) => c.getValue() ?? <span className="muted">nobody</span> }),
    ],
    [base],
  );
  const current = data.params.status;
  return (
    <main className="page">
      <h1>Finance incidents</h1>
      <FinanceTabs tenantId={data.tenantId} openIncidents={data.counts.open} />
      <p className="row" aria-label="Status">
        {[...INCIDENT_STATUSES, 'all' as const].map((s) => (
          <Link key={s} to={withQuery(search, { status: s, before: null })} aria-current={current === s ? 'page' : undefined} className={current === s ? 'badge running' : 'badge'}>
            {s}{s !== 'all' ? ` (${data.counts[s]})` : ''}
          </Link>
        ))}
      </p>
      <Form method="get" className="filters" aria-label="Filters">
        <input type="hidden" name="status" value={current} />
        <label>
          Assigned to
          <select name="assignee" defaultValue={search.get('assignee') ?? ''}>
            <option value="">anyone</option>
            <option value="me">me</option>
            <option value="none">nobody</option>
          </select>
        </label>
        <label>
          Severity
          <select name="severity" defaultValue={search.get('severity') ?? ''}>
            <option value="">any</option>
            <option value="high">high</option>
            <option value="normal">normal</option>
          </select>
        </label>
        <button type="submit">Filter</button>
      </Form>
      <DataTable testId="incident-table" data={data.rows} columns={columns} getRowId={(r) => r.id} empty="No incident matches." />
      <Pager param="before" next={data.nextBefore} labels={NEWEST_FIRST} />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
