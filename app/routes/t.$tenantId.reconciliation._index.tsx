import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { ActionDialog } from '~/components/action-dialog';
import { FinanceTabs } from '~/components/finance-tabs';
import { Pager } from '~/components/pager';
import { withQuery, type QueryPatch } from '~/components/query';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { MISMATCH_KIND_NAMES, MISMATCH_LABELS, formatEuros } from '~/finance/labels';
import { zoned } from '~/components/time';
import { Time, useTimeZone } from '~/components/zoned-time';
import { can } from '~/server/permissions';
import { periodQuery, reconciliationView } from '~/finance/reconciliation.server';

export const meta: MetaFunction = () => [{ title: 'Reconciliation · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const period = parseSearch(request, periodQuery());
  // The form's "Reconcile" asks the provider again; links reuse the minute-old reconciliation.
  const view = await reconciliationView(ctx.tenantId, period, { fresh: new URL(request.url).searchParams.get('fresh') === '1' });
  return json({ tenantId: ctx.tenantId, period, view, canMark: can(ctx.role, 'reconcile:payment') });
}

export default function Reconciliation() {
  const { tenantId, period, view, canMark } = useLoaderData<typeof loader>();
  const timeZone = useTimeZone();
  const base = `/t/${tenantId}/reconciliation`;
  // Links carry the period as read (never `fresh`, which would list the provider again), defaults left out.
  const query = (changes: QueryPatch) => {
    const q = { from: period.from, to: period.to, kind: period.kind, state: period.state, page: period.page, ...changes };
    return withQuery('', { ...q, state: q.state === 'open' ? null : q.state, page: String(q.page) === '1' ? null : q.page });
  };
  return (
    <main className="page">
      <h1>Reconciliation</h1>
      <FinanceTabs tenantId={tenantId} />
      <Form method="get" className="filters" aria-label="Period">
        <label>From (UTC)<input name="from" type="date" defaultValue={period.from} /></label>
        <label>To (UTC)<input name="to" type="date" defaultValue={period.to} /></label>
        <label>
          Kind
          <select name="kind" defaultValue={period.kind ?? ''}>
            <option value="">every kind</option>
            {MISMATCH_KIND_NAMES.map((k) => <option key={k} value={k}>{MISMATCH_LABELS[k]}</option>)}
          </select>
        </label>
        <label>
          Show
          <select name="state" defaultValue={period.state}>
            <option value="open">open</option>
            <option value="reconciled">reconciled</option>
            <option value="all">all</option>
          </select>
        </label>
        <input type="hidden" name="fresh" value="1" />
        <button type="submit">Reconcile</button>
        <a href={`${base}.csv${query({ page: undefined })}`} download data-testid="reconciliation-csv">Export CSV</a>
      </Form>
      <p className="muted" data-testid="reconciliation-summary">
        {period.from} – {period.to} (UTC): {view.counts.orders} orders, {view.counts.ledgerRows} ledger rows, {view.counts.providerObjects} provider objects
        (the provider&rsquo;s mirror, caught up {view.mirror.syncedAt ? <Time at={view.mirror.syncedAt} /> : 'never'}) compared at <Time at={view.generatedAt} /> in {Math.round(view.timings.totalMs)} ms.
      </p>
      <div className="scroll" tabIndex={0}>
        <table className="data" data-testid="mismatch-totals">
          <thead><tr><th>Kind</th><th className="num">Open</th><th className="num">At stake (open)</th><th className="num">Reconciled</th></tr></thead>
          <tbody>
            {view.totals.map((t) => (
              <tr key={t.kind} data-kind={t.kind}>
                <td><Link to={query({ kind: t.kind, page: undefined })}>{t.label}</Link></td>
                <td className="num">{t.open}</td>
                <td className="num">{formatEuros(t.openAtStakeCents)}</td>
                <td className="num">{t.reconciled}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Mismatches <span className="muted">({view.matching})</span></h2>
      {view.rows.length === 0 ? <p className="muted">No mismatch matches.</p> : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="mismatch-table">
            <thead><tr><th>When</th><th>Kind</th><th>Order</th><th>Detail</th><th className="num">Ledger</th><th className="num">Provider</th><th className="num">At stake</th><th>State</th></tr></thead>
            <tbody>
              {view.rows.map((m) => (
                <tr key={m.key} data-key={m.key}>
                  <td><Time at={m.at} /></td>
                  <td>{MISMATCH_LABELS[m.kind]}</td>
                  <td>{m.orderId ? <Link to={`${base}/${encodeURIComponent(m.orderId)}${query({ kind: undefined, state: undefined, page: undefined })}`}>{m.orderId}</Link> : '—'}</td>
                  <td>{m.detail}</td>
                  <td className="num">{formatEuros(m.ledgerCents)}</td>
                  <td className="num">{formatEuros(m.providerCents)}</td>
                  <td className="num">{formatEuros(m.atStakeCents)}</td>
                  <td>
                    {m.mark ? (
                      <span title={`${m.mark.by}, ${zoned(m.mark.at, timeZone)}`}><span className="badge completed">reconciled</span> {m.mark.reason}</span>
                    ) : canMark ? (
                      <ActionDialog label="Mark reconciled" actionUrl={`${base}/mark`} reason="required" testId={`mark-${m.key}`}
                        confirmText="Mark this mismatch reconciled: say what was checked or done. It stays listed under “reconciled”, in every period.">
                        <input type="hidden" name="key" value={m.key} />
                        <input type="hidden" name="from" value={period.from} />
                        <input type="hidden" name="to" value={period.to} />
                      </ActionDialog>
                    ) : <span className="badge failed">open</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={period.page} pages={view.pages} href={(page) => query({ page })} />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
