import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { createColumnHelper, type SortingState } from '@tanstack/react-table';
import { useMemo } from 'react';
import { SagaCharts } from '~/components/charts';
import { DataTable } from '~/components/data-table';
import { FinanceTabs } from '~/components/finance-tabs';
import { Pager } from '~/components/pager';
import { withQuery, type QueryPatch } from '~/components/query';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { listSagas, sagaCharts, sagaListSchema } from '~/finance/sagas.server';
import { formatEuros, INCIDENT_BADGE, SAGA_STATUSES, STATUS_BADGE, statusLabel } from '~/finance/labels';
import { Time } from '~/components/zoned-time';
import { operatorTimeZone } from '~/preferences/preferences.server';

export const meta: MetaFunction = () => [{ title: 'Payment sagas · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  // Days (filters and charts) are the operator's, as every time on the page.
  const filters = { ...parseSearch(request, sagaListSchema), tz: operatorTimeZone(ctx) };
  const [list, charts] = await Promise.all([listSagas(ctx.tenantId, filters), sagaCharts(ctx.tenantId, filters)]);
  return json({ tenantId: ctx.tenantId, params: filters, ...list, charts });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();
const SORT_COLUMNS: Record<string, string> = { startedAt: 'started', totalCents: 'amount', orderId: 'order', status: 'status' };

export default function Payments() {
  const data = useLoaderData<typeof loader>();
  const [search, setSearch] = useSearchParams();
  const base = `/t/${data.tenantId}`;
  const columns = useMemo(
    () => [
      col.accessor('orderId', { header: 'Order', cell: (c) => <Link to={`${base}/payments/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link> }),
      col.accessor('buyerId', { header: 'Buyer' }),
      col.accessor('sellerId', { header: 'Seller' }),
      col.accessor('totalCents', { header: 'Amount', cell: (c) => <span className="num">{formatEuros(c.getValue())}</span> }),
      col.accessor('status', { header: 'Status', cell: (c) => <span className={`badge ${STATUS_BADGE[c.getValue()] ?? ''}`}>{statusLabel(c.getValue())}</span> }),
      col.accessor('incident', {
        header: 'Incident',
        enableSorting: false,
        cell: (c) => {
          const i = c.getValue();
          return i ? <Link to={`${base}/incidents/${i.id}`}><span className={`badge ${INCIDENT_BADGE[i.status] ?? ''}`}>{i.status}</span></Link> : '';
        },
      }),
      col.accessor('startedAt', { header: 'Started', cell: (c) => <Time at={c.getValue()} /> }),
      col.accessor('endedAt', { header: 'Ended', enableSorting: false, cell: (c) => <Time at={c.getValue()} /> }),
    ],
    [base],
  );
  // A new sort starts from the first page.
  const setParam = (changes: QueryPatch) => setSearch(withQuery(search, { ...changes, cursor: null }));
  const sorting: SortingState = [{ id: Object.entries(SORT_COLUMNS).find(([, s]) => s === data.params.sort)?.[0] ?? 'startedAt', desc: data.params.dir === 'desc' }];
  const onSortingChange = (s: SortingState) => {
    const first = s[0];
    setParam({ sort: first ? SORT_COLUMNS[first.id] ?? 'started' : 'started', dir: first && !first.desc ? 'asc' : 'desc' });
  };
  return (
    <main className="page">
      <h1>Payments</h1>
      <FinanceTabs tenantId={data.tenantId} />
      <Form method="get" className="filters" aria-label="Filters">
        <label>Order, buyer or seller<input name="q" type="search" defaultValue={data.params.q ?? ''} placeholder="contains" /></label>
        <label>
          Status
          <select name="status" defaultValue={data.params.status ?? ''}>
            <option value="">any</option>
            {SAGA_STATUSES.map((s) => <option key={s.status} value={s.status}>{s.label}</option>)}
          </select>
        </label>
        <label>From ({data.params.tz})<input name="from" type="date" defaultValue={data.params.from ?? ''} /></label>
        <label>To ({data.params.tz})<input name="to" type="date" defaultValue={data.params.to ?? ''} /></label>
        {data.params.sort !== 'started' && <input type="hidden" name="sort" value={data.params.sort} />}
        {data.params.dir !== 'desc' && <input type="hidden" name="dir" value={data.params.dir} />}
        <button type="submit">Filter</button>
        <Link to={`${base}/payments`}>Clear</Link>
      </Form>
      <SagaCharts days={data.charts.days} />
      <h2>Sagas <span className="muted" data-testid="saga-count">({data.total})</span></h2>
      <DataTable
        testId="saga-table"
        data={data.rows}
        columns={columns}
        getRowId={(r) => r.orderId}
        sorting={sorting}
        sortable={Object.keys(SORT_COLUMNS)}
        onSortingChange={onSortingChange}
        empty="No payment saga matches these filters."
      />
      <Pager param="cursor" next={data.nextCursor} />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
