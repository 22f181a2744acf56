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
import { financeTitle, formatEuros, INCIDENT_BADGE, SAGA_STATUSES, STATUS_BADGE, useFinanceT } from '~/finance/labels';
import { Time } from '~/components/zoned-time';
import { operatorTimeZone } from '~/preferences/preferences.server';

export const meta: MetaFunction = ({ matches }) => [{ title: `${financeTitle(matches, (f) => f.tabs.sagas)} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  // Days (filters and charts) are the operator's, as every time on the page.
  const filters = { ...parseSearch(request, sagaListSchema), tz: operatorTimeZone(ctx), language: ctx.language };
  const [list, charts] = await Promise.all([listSagas(ctx.tenantId, filters), sagaCharts(ctx.tenantId, filters)]);
  return json({ tenantId: ctx.tenantId, params: filters, ...list, charts });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();
const SORT_COLUMNS: Record<string, string> = { startedAt: 'started', totalCents: 'amount', orderId: 'order', status: 'status' };

export default function Payments() {
  const data = useLoaderData<typeof loader>();
  const { t, w } = useFinanceT();
  const [search, setSearch] = useSearchParams();
  const base = `/t/${data.tenantId}`;
  const columns = useMemo(
    () => [
      col.accessor('orderId', { header: t('common.order'), cell: (c) => <Link to={`${base}/payments/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link> }),
      col.accessor('buyerId', { header: t('common.buyer') }),
      col.accessor('sellerId', { header: t('common.seller') }),
      col.accessor('totalCents', { header: t('common.amount'), cell: (c) => <span className="num">{formatEuros(c.getValue())}</span> }),
      col.accessor('status', { header: t('common.status'), cell: (c) => <span className={`badge ${STATUS_BADGE[c.getValue()] ?? ''}`}>{w('sagaStatus', c.getValue())}</span> }),
      col.accessor('incident', {
        header: t('common.incident'),
        enableSorting: false,
        cell: (c) => {
          const i = c.getValue();
          return i ? <Link to={`${base}/incidents/${i.id}`}><span className={`badge ${INCIDENT_BADGE[i.status] ?? ''}`}>{w('incidentStatus', i.status)}</span></Link> : '';
        },
      }),
      col.accessor('startedAt', { header: t('common.started'), cell: (c) => <Time at={c.getValue()} /> }),
      col.accessor('endedAt', { header: t('common.ended'), enableSorting: false, cell: (c) => <Time at={c.getValue()} /> }),
    ],
    [base, t, w],
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
      <h1>{t('payments.title')}</h1>
      <FinanceTabs tenantId={data.tenantId} />
      <Form method="get" className="filters" aria-label={t('common.filters')}>
        <label>{t('payments.search')}<input name="q" type="search" defaultValue={data.params.q ?? ''} placeholder={t('payments.contains')} /></label>
        <label>
          {t('common.status')}
          <select name="status" defaultValue={data.params.status ?? ''}>
            <option value="">{t('common.any')}</option>
            {SAGA_STATUSES.map((s) => <option key={s} value={s}>{w('sagaStatus', s)}</option>)}
          </select>
        </label>
        <label>{t('payments.from', { tz: data.params.tz })}<input name="from" type="date" defaultValue={data.params.from ?? ''} /></label>
        <label>{t('payments.to', { tz: data.params.tz })}<input name="to" type="date" defaultValue={data.params.to ?? ''} /></label>
        {data.params.sort !== 'started' && <input type="hidden" name="sort" value={data.params.sort} />}
        {data.params.dir !== 'desc' && <input type="hidden" name="dir" value={data.params.dir} />}
        <button type="submit">{t('common.filter')}</button>
        <Link to={`${base}/payments`}>{t('common.clear')}</Link>
      </Form>
      <SagaCharts days={data.charts.days} />
      <h2>{t('payments.sagas')} <span className="muted" data-testid="saga-count">({data.total})</span></h2>
      <DataTable
        testId="saga-table"
        data={data.rows}
        columns={columns}
        getRowId={(r) => r.orderId}
        sorting={sorting}
        sortable={Object.keys(SORT_COLUMNS)}
        onSortingChange={onSortingChange}
        empty={t('payments.empty')}
      />
      <Pager param="cursor" next={data.nextCursor} />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
