// Live checkouts (seed case 1): every reported checkout session of the tenant, newest
// activity first, filtered by state and tag; stuck payments highlighted. The page reloads
// its data after each ingestion write (server-sent events, see components/live.tsx).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigate, useSearchParams } from '@remix-run/react';
import { createColumnHelper, type SortingState } from '@tanstack/react-table';
import { useMemo } from 'react';
import { DataTable } from '~/components/data-table';
import { withQuery } from '~/components/query';
import styles from '~/components/ingest.css';
import { formatDuration, LiveBadge, useLiveData, useNow } from '~/components/live';
import { formatEuros } from '../../finance/euros';
import { liveCheckoutsData } from '~/live/checkouts.server';
import { isStuckCandidate } from '~/ingest/labels';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = () => [{ title: 'Live checkouts · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return json(await liveCheckoutsData(request, params.tenantId));
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];
const col = createColumnHelper<Row>();

export default function LiveCheckouts() {
  const d = useLoaderData<typeof loader>();
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
        header: 'Session',
        cell: (c) => <Link to={`${base}/${encodeURIComponent(c.getValue())}`}><code>{c.getValue()}</code></Link>,
      }),
      col.accessor('state', {
        header: 'State',
        cell: (c) => (
          <>
            <span className="badge" data-testid="checkout-state">{c.getValue()}</span>
            {/* The row turns red through CSS (tr:has(.stuck-flag)): DataTable knows nothing of stuck. */}
            {stuck(c.row.original) && <span className="badge stuck-flag" data-testid="stuck-flag">stuck</span>}
          </>
        ),
      }),
      col.accessor('tags', { header: 'Tags', cell: (c) => c.getValue().join(', ') || '—' }),
      col.accessor('step', { header: 'Step' }),
      col.accessor('cartCents', { header: 'Cart', cell: (c) => formatEuros(c.getValue()) }),
      col.accessor('paymentAttempts', { header: 'Payment attempts' }),
      col.accessor('lastErrorCode', { header: 'Last error', cell: (c) => (c.getValue() ? <code className="error">{c.getValue()}</code> : '—') }),
      col.accessor('stateSince', { header: 'In state for', cell: (c) => formatDuration(now - Date.parse(c.getValue())) }),
      col.accessor('lastEventAt', {
        header: 'Last activity',
        cell: (c) => <span title={c.getValue()}>{formatDuration(now - Date.parse(c.getValue()))} ago</span>,
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `stuck` only reads now and the threshold, both listed
    [base, now, thresholdMs],
  );

  const sorting: SortingState = [{ id: d.filter.sort, desc: d.filter.dir === 'desc' }];
  const total = Object.values(d.byState).reduce((a, b) => a + b, 0);

  return (
    <main className="page">
      <h1>Live checkouts <LiveBadge live={live} /></h1>
      <nav className="chips" aria-label="Checkouts by state" data-testid="state-counts">
        <Link to={withQuery(search, { state: undefined })} aria-current={!d.filter.state}>all <b>{total}</b></Link>
        {d.states.map((s) => (
          <Link key={s} to={withQuery(search, { state: s })} aria-current={d.filter.state === s} data-state={s}>
            {s} <b>{d.byState[s] ?? 0}</b>
          </Link>
        ))}
        <Link to={withQuery(search, { stuck: d.filter.stuck ? undefined : '1' })} aria-current={Boolean(d.filter.stuck)} className="error" data-testid="stuck-count">
          stuck <b>{d.stuck}</b>
        </Link>
      </nav>
      <Form method="get" className="filters">
        <label>State
          <select name="state" defaultValue={d.filter.state ?? ''}><option value="">any</option>{d.states.map((s) => <option key={s}>{s}</option>)}</select>
        </label>
        <label>Tag
          <select name="tag" defaultValue={d.filter.tag ?? ''}><option value="">any</option>{d.tags.map((s) => <option key={s}>{s}</option>)}</select>
        </label>
        <label>Session id starts with<input name="session" defaultValue={d.filter.session ?? ''} /></label>
        <label>Stuck after (seconds)<input name="threshold" type="number" min={1} max={86400} defaultValue={d.filter.threshold} /></label>
        <label className="row"><input type="checkbox" name="stuck" value="1" defaultChecked={Boolean(d.filter.stuck)} /> stuck only</label>
        <button type="submit">Apply</button>
      </Form>
      <p className="muted">
        Stuck: in traitementPaiement or a <code>chargement</code> state for more than {d.filter.threshold} s (highlighted).
        {d.limited && ' Showing the first 200: narrow the filters to see the rest.'}
      </p>
      <DataTable testId="checkout-table" data={d.rows} columns={columns} getRowId={(r) => r.sessionId}
        sorting={sorting} sortable={['lastEventAt', 'stateSince', 'cartCents', 'paymentAttempts']}
        onSortingChange={(next) => {
          const first = next[0];
          navigate(withQuery(search, { sort: first?.id, dir: first ? (first.desc ? 'desc' : 'asc') : undefined }), { replace: true });
        }}
        empty="No checkout of this tenant matches. Checkouts appear here as soon as a storefront reports them." />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
