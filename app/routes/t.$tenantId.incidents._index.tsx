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
import { financeTitle, INCIDENT_BADGE, INCIDENT_STATUSES, STATUS_BADGE, useFinanceT } from '~/finance/labels';
import { Time } from '~/components/zoned-time';

export const meta: MetaFunction = ({ matches }) => [{ title: `${financeTitle(matches, (f) => f.incidents.title)} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const filters = parseSearch(request, incidentListSchema);
  return json({ tenantId: ctx.tenantId, params: filters, ...(await listIncidents(ctx, filters)) });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();

export default function Incidents() {
  const data = useLoaderData<typeof loader>();
  const { t, w } = useFinanceT();
  const [search] = useSearchParams();
  const base = `/t/${data.tenantId}`;
  const columns = useMemo(
    () => [
      col.accessor('createdAt', { header: t('common.opened'), cell: (c) => <Link to={`${base}/incidents/${c.row.original.id}`}><Time at={c.getValue()} /></Link> }),
      col.accessor('orderId', { header: t('common.order'), cell: (c) => <Link to={`${base}/payments/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link> }),
      col.accessor('severity', { header: t('common.severity'), cell: (c) => <span className={`badge ${c.getValue() === 'high' ? 'failed' : ''}`}>{w('severity', c.getValue())}</span> }),
      col.accessor('failedStep', { header: t('common.failedStep'), cell: (c) => (c.getValue() ? w('step', c.getValue()) : '—') }),
      col.accessor('sagaStatus', { header: t('incidents.saga'), cell: (c) => <span className={`badge ${STATUS_BADGE[c.getValue()] ?? ''}`}>{w('sagaStatus', c.getValue())}</span> }),
      col.accessor('status', { header: t('common.status'), cell: (c) => <span className={`badge ${INCIDENT_BADGE[c.getValue()] ?? ''}`}>{w('incidentStatus', c.getValue())}</span> }),
      col.accessor('assignee', { header: t('common.assignedTo'), cell: (c) => c.getValue() ?? <span className="muted">{t('common.nobody')}</span> }),
    ],
    [base, t, w],
  );
  const current = data.params.status;
  return (
    <main className="page">
      <h1>{t('incidents.title')}</h1>
      <FinanceTabs tenantId={data.tenantId} openIncidents={data.counts.open} />
      <p className="row" aria-label={t('common.status')}>
        {[...INCIDENT_STATUSES, 'all' as const].map((s) => (
          <Link key={s} to={withQuery(search, { status: s, before: null })} aria-current={current === s ? 'page' : undefined} className={current === s ? 'badge running' : 'badge'}>
            {w('incidentStatus', s)}{s !== 'all' ? ` (${data.counts[s]})` : ''}
          </Link>
        ))}
      </p>
      <Form method="get" className="filters" aria-label={t('common.filters')}>
        <input type="hidden" name="status" value={current} />
        <label>
          {t('common.assignedTo')}
          <select name="assignee" defaultValue={search.get('assignee') ?? ''}>
            <option value="">{t('incidents.anyone')}</option>
            <option value="me">{t('incidents.me')}</option>
            <option value="none">{t('common.nobody')}</option>
          </select>
        </label>
        <label>
          {t('common.severity')}
          <select name="severity" defaultValue={search.get('severity') ?? ''}>
            <option value="">{t('common.any')}</option>
            <option value="high">{w('severity', 'high')}</option>
            <option value="normal">{w('severity', 'normal')}</option>
          </select>
        </label>
        <button type="submit">{t('common.filter')}</button>
      </Form>
      <DataTable testId="incident-table" data={data.rows} columns={columns} getRowId={(r) => r.id} empty={t('incidents.empty')} />
      <Pager param="before" next={data.nextBefore} labels={NEWEST_FIRST} />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
