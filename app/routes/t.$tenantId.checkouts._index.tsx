// Live checkouts (seed case 1): every reported checkout session of the tenant, newest
// activity first, filtered by state and tag; stuck payments highlighted. The page reloads
// its data after each ingestion write (server-sent events, see components/live.tsx).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigate, useSearchParams } from '@remix-run/react';
import { createColumnHelper, type SortingState } from '@tanstack/react-table';
import { useMemo } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { DataTable } from '~/components/data-table';
import { withQuery } from '~/components/query';
import styles from '~/components/ingest.css';
import { formatDuration, LiveBadge, useLiveData, useNow } from '~/components/live';
import { formatEuros } from '../../finance/euros';
import { liveCheckoutsData } from '~/live/checkouts.server';
import { isStuckCandidate } from '~/ingest/labels';
import { pageTitle } from '~/i18n/fixed-t';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'live', (t) => t('checkouts.title')) }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return json(await liveCheckoutsData(request, params.tenantId));
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();

export default function LiveCheckouts() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation('live');
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const { live } = useLiveData(`/t/${d.tenantId}/checkouts/stream?kinds=checkout`);
  const now = useNow(d.serverNow);
  const thresholdMs = d.filter.threshold * 1000;
  const base = `/t/${d.tenantId}/checkouts`;
  const stuck = (r: Row) => isStuckCandidate(r.state, r.tags) && now - Date.parse(r.stateSince) > thresholdMs;

  const columns = useMemo(
    () => [
      col.accessor('sessionId', {
        header: t('checkouts.column.session'),
        cell: (c) => <Link to={`${base}/${encodeURIComponent(c.getValue())}`}><code>{c.getValue()}</code></Link>,
      }),
      col.accessor('state', {
        header: t('checkouts.column.state'),
        cell: (c) => (
          <>
            <span className="badge" data-testid="checkout-state">{c.getValue()}</span>
            {/* The row turns red through CSS (tr:has(.stuck-flag)): DataTable knows nothing of stuck. */}
            {stuck(c.row.original) && <span className="badge stuck-flag" data-testid="stuck-flag">{t('stuck')}</span>}
          </>
        ),
      }),
      col.accessor('tags', { header: t('checkouts.column.tags'), cell: (c) => c.getValue().join(', ') || t('none') }),
      col.accessor('step', { header: t('checkouts.column.step') }),
      col.accessor('cartCents', { header: t('checkouts.column.cart'), cell: (c) => formatEuros(c.getValue()) }),
      col.accessor('paymentAttempts', { header: t('checkouts.column.paymentAttempts') }),
      col.accessor('lastErrorCode', { header: t('checkouts.column.lastError'), cell: (c) => (c.getValue() ? <code className="error">{c.getValue()}</code> : t('none')) }),
      col.accessor('stateSince', { header: t('checkouts.column.inState'), cell: (c) => formatDuration(now - Date.parse(c.getValue()), t) }),
      col.accessor('lastEventAt', {
        header: t('checkouts.column.lastActivity'),
        cell: (c) => <span title={c.getValue()}>{t('duration.ago', { duration: formatDuration(now - Date.parse(c.getValue()), t) })}</span>,
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `stuck` only reads now and the threshold, both listed
    [base, now, thresholdMs, t],
  );

  const sorting: SortingState = [{ id: d.filter.sort, desc: d.filter.dir === 'desc' }];
  const total = Object.values(d.byState).reduce((a, b) => a + b, 0);

  return (
    <main className="page">
      <h1>{t('checkouts.title')} <LiveBadge live={live} /></h1>
      <nav className="chips" aria-label={t('checkouts.byState')} data-testid="state-counts">
        <Link to={withQuery(search, { state: undefined })} aria-current={!d.filter.state}>{t('all')} <b>{total}</b></Link>
        {d.states.map((s) => (
          <Link key={s} to={withQuery(search, { state: s })} aria-current={d.filter.state === s} data-state={s}>
            {s} <b>{d.byState[s] ?? 0}</b>
          </Link>
        ))}
        <Link to={withQuery(search, { stuck: d.filter.stuck ? undefined : '1' })} aria-current={Boolean(d.filter.stuck)} className="error" data-testid="stuck-count">
          {t('stuck')} <b>{d.stuck}</b>
        </Link>
      </nav>
      <Form method="get" className="filters">
        <label>{t('checkouts.filter.state')}
          <select name="state" defaultValue={d.filter.state ?? ''}><option value="">{t('any')}</option>{d.states.map((s) => <option key={s}>{s}</option>)}</select>
        </label>
        <label>{t('checkouts.filter.tag')}
          <select name="tag" defaultValue={d.filter.tag ?? ''}><option value="">{t('any')}</option>{d.tags.map((s) => <option key={s}>{s}</option>)}</select>
        </label>
        <label>{t('checkouts.filter.session')}<input name="session" defaultValue={d.filter.session ?? ''} /></label>
        <label>{t('checkouts.filter.threshold')}<input name="threshold" type="number" min={1} max={86400} defaultValue={d.filter.threshold} /></label>
        <label className="row"><input type="checkbox" name="stuck" value="1" defaultChecked={Boolean(d.filter.stuck)} /> {t('checkouts.filter.stuckOnly')}</label>
        <button type="submit">{t('apply')}</button>
      </Form>
      <p className="muted">
        <Trans t={t} i18nKey="checkouts.stuckRule" values={{ seconds: d.filter.threshold }} components={{ code: <code /> }} />
        {d.limited && t('checkouts.limited', { limit: d.rows.length })}
      </p>
      <DataTable testId="checkout-table" data={d.rows} columns={columns} getRowId={(r) => r.sessionId}
        sorting={sorting} sortable={['lastEventAt', 'stateSince', 'cartCents', 'paymentAttempts']}
        onSortingChange={(next) => {
          const first = next[0];
          navigate(withQuery(search, { sort: first?.id, dir: first ? (first.desc ? 'desc' : 'asc') : undefined }), { replace: true });
        }}
        empty={t('checkouts.empty')} />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
