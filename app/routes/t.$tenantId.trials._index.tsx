import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { createColumnHelper, type SortingState } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '~/components/data-table';
import { Pager } from '~/components/pager';
import { Time } from '~/components/zoned-time';
import { withQuery, type QueryPatch } from '~/components/query';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { temporal } from '~/server/temporal.server';
import { listTrials, searchTrialUsers, trialPageQuery } from '~/trials/search.server';
import { PHASES, STATUSES } from '~/workflows/labels';
import { useWorkflowStatusWords } from '~/components/workflow-status';
import { WorkflowStatus } from '~/components/workflow-status';
import { serverT } from '~/i18n/server-t.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ''} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:trial');
  const { q, ...filters } = parseSearch(request, trialPageQuery);
  const [matches, list] = await Promise.all([
    q ? searchTrialUsers(ctx.tenantId, q) : Promise.resolve([]),
    listTrials(await temporal(), ctx.tenantId, filters),
  ]);
  return json({ tenantId: ctx.tenantId, title: serverT(ctx.language, 'trials')('list.title'), q, matches, params: filters, ...list });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();

const SORT_TO_STATE: Record<string, SortingState> = {
  'day-asc': [{ id: 'day', desc: false }],
  'day-desc': [{ id: 'day', desc: true }],
  phase: [{ id: 'phase', desc: false }],
  started: [{ id: 'startTime', desc: true }],
};

export default function Trials() {
  const data = useLoaderData<typeof loader>();
  const statusWords = useWorkflowStatusWords();
  const [search, setSearch] = useSearchParams();
  const { t } = useTranslation('trials');
  const base = `/t/${data.tenantId}/trials`;
  const columns = useMemo(
    () => [
      col.accessor('userId', { header: t('list.column.user'), cell: (c) => <Link to={`${base}/${encodeURIComponent(c.getValue())}`}>{c.row.original.name ?? c.getValue()}</Link> }),
      col.accessor('email', { header: t('list.column.email'), cell: (c) => c.getValue() ?? <span className="muted">—</span> }),
      col.accessor('phase', { header: t('list.column.phase'), cell: (c) => (c.getValue() ? <span className="badge">{c.getValue()}</span> : '—') }),
      col.accessor('day', { header: t('list.column.day'), cell: (c) => (c.getValue() === null ? '—' : `J+${c.getValue()}`) }),
      col.accessor('subscribed', { header: t('list.column.subscribed'), cell: (c) => (c.getValue() ? t('yes') : c.getValue() === false ? t('no') : '—') }),
      col.accessor('status', {
        header: t('list.column.status'),
        // A reset trial is one user: its runs are counted here, the status is the latest run's.
        cell: (c) => <><WorkflowStatus status={c.getValue()} />{c.row.original.runs > 1 && <span className="muted" data-testid="trial-runs"> · {t('list.runs', { count: c.row.original.runs })}</span>}</>,
      }),
      col.accessor('startTime', { header: t('list.column.started'), cell: (c) => <Time at={c.getValue()} /> }),
    ],
    [base, t],
  );
  // A new filter or sort starts from the first page.
  const setParam = (changes: QueryPatch) => setSearch(withQuery(search, { ...changes, cursor: null }));
  const onSortingChange = (s: SortingState) => {
    const first = s[0];
    const sort = !first ? 'started' : first.id === 'day' ? (first.desc ? 'day-desc' : 'day-asc') : first.id === 'phase' ? 'phase' : 'started';
    setParam({ sort });
  };
  return (
    <main className="page">
      <h1>{t('list.title')}</h1>
      <Form method="get" className="filters card" role="search">
        <label>{t('list.find')}<input name="q" type="search" defaultValue={data.q} placeholder={t('list.findPlaceholder')} aria-label={t('list.find')} /></label>
        <button type="submit">{t('list.search')}</button>
      </Form>
      {data.q && (
        <section className="card" data-testid="search-results">
          <h2>{t('list.matches', { q: data.q })}</h2>
          {data.matches.length === 0 ? <p className="muted">{t('list.noMatch')}</p> : (
            <ul>
              {data.matches.map((m) => (
                <li key={m.id}><Link to={`${base}/${encodeURIComponent(m.id)}`}>{m.name}</Link> — {m.email} <span className="muted">({m.id})</span></li>
              ))}
            </ul>
          )}
        </section>
      )}
      <h2>{t('list.heading')} <span className="muted" data-testid="trial-count">({data.total})</span></h2>
      <div className="filters">
        <label>{t('list.column.phase')}
          <select value={data.params.phase ?? ''} onChange={(e) => setParam({ phase: e.target.value })}>
            <option value="">{t('list.any')}</option>
            {PHASES.map((p) => <option key={p}>{p}</option>)}
          </select>
        </label>
        <label>{t('list.column.day')}
          <input type="number" min={0} max={60} value={data.params.day ?? ''} onChange={(e) => setParam({ day: e.target.value })} />
        </label>
        <label>{t('list.column.subscribed')}
          <select value={data.params.subscribed ?? ''} onChange={(e) => setParam({ subscribed: e.target.value })}>
            <option value="">{t('list.any')}</option><option value="true">{t('yes')}</option><option value="false">{t('no')}</option>
          </select>
        </label>
        <label>{t('list.column.status')}
          <select value={data.params.status ?? ''} onChange={(e) => setParam({ status: e.target.value })}>
            <option value="">{t('list.any')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{statusWords(s)}</option>)}
          </select>
        </label>
      </div>
      <DataTable
        testId="trial-table"
        data={data.rows}
        columns={columns}
        getRowId={(r) => r.userId}
        sorting={SORT_TO_STATE[data.params.sort]}
        sortable={['day', 'phase', 'startTime']}
        onSortingChange={onSortingChange}
        empty={t('list.empty')}
      />
      <Pager param="cursor" next={data.nextCursor} />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
