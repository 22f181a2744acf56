import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { ActionDialog } from '~/components/action-dialog';
import { FinanceTabs } from '~/components/finance-tabs';
import { Pager } from '~/components/pager';
import { withQuery, type QueryPatch } from '~/components/query';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { MISMATCH_KIND_NAMES, financeTitle, formatEuros, useFinanceT } from '~/finance/labels';
import { zoned } from '~/components/time';
import { Time, useTimeZone } from '~/components/zoned-time';
import { can } from '~/server/permissions';
import { periodQuery, reconciliationView } from '~/finance/reconciliation.server';

export const meta: MetaFunction = ({ matches }) => [{ title: `${financeTitle(matches, (f) => f.reconciliation.title)} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const period = parseSearch(request, periodQuery());
  // The form's "Reconcile" asks the provider again; links reuse the minute-old reconciliation.
  const view = await reconciliationView(ctx.tenantId, period, { fresh: new URL(request.url).searchParams.get('fresh') === '1' });
  return json({ tenantId: ctx.tenantId, period, view, canMark: can(ctx.role, 'reconcile:payment') });
}

export default function Reconciliation() {
  const { tenantId, period, view, canMark } = useLoaderData<typeof loader>();
  const { t, w, r } = useFinanceT();
  const timeZone = useTimeZone();
  const base = `/t/${tenantId}/reconciliation`;
  // Links carry the period as read (never `fresh`, which would list the provider again), defaults left out.
  const query = (changes: QueryPatch) => {
    const q = { from: period.from, to: period.to, kind: period.kind, state: period.state, page: period.page, ...changes };
    return withQuery('', { ...q, state: q.state === 'open' ? null : q.state, page: String(q.page) === '1' ? null : q.page });
  };
  return (
    <main className="page">
      <h1>{t('reconciliation.title')}</h1>
      <FinanceTabs tenantId={tenantId} />
      <Form method="get" className="filters" aria-label={t('reconciliation.period')}>
        <label>{t('reconciliation.from')}<input name="from" type="date" defaultValue={period.from} /></label>
        <label>{t('reconciliation.to')}<input name="to" type="date" defaultValue={period.to} /></label>
        <label>
          {t('common.kind')}
          <select name="kind" defaultValue={period.kind ?? ''}>
            <option value="">{t('reconciliation.everyKind')}</option>
            {MISMATCH_KIND_NAMES.map((k) => <option key={k} value={k}>{w('mismatch', k)}</option>)}
          </select>
        </label>
        <label>
          {t('reconciliation.show')}
          <select name="state" defaultValue={period.state}>
            {(['open', 'reconciled', 'all'] as const).map((s) => <option key={s} value={s}>{w('mismatchState', s)}</option>)}
          </select>
        </label>
        <input type="hidden" name="fresh" value="1" />
        <button type="submit">{t('reconciliation.reconcile')}</button>
        <a href={`${base}.csv${query({ page: undefined })}`} download data-testid="reconciliation-csv">{t('reconciliation.exportCsv')}</a>
      </Form>
      <p className="muted" data-testid="reconciliation-summary">
        {t('reconciliation.summary', { from: period.from, to: period.to, orders: view.counts.orders, ledgerRows: view.counts.ledgerRows, providerObjects: view.counts.providerObjects })}{' '}
        {t('reconciliation.mirror')} {view.mirror.syncedAt ? <Time at={view.mirror.syncedAt} /> : t('reconciliation.never')}{t('reconciliation.comparedAt')}{' '}
        <Time at={view.generatedAt} /> {t('reconciliation.inMs', { ms: Math.round(view.timings.totalMs) })}
      </p>
      <div className="scroll" tabIndex={0}>
        <table className="data" data-testid="mismatch-totals">
          <thead><tr><th>{t('common.kind')}</th><th className="num">{t('reconciliation.open')}</th><th className="num">{t('reconciliation.atStakeOpen')}</th><th className="num">{t('reconciliation.reconciled')}</th></tr></thead>
          <tbody>
            {view.totals.map((total) => (
              <tr key={total.kind} data-kind={total.kind}>
                <td><Link to={query({ kind: total.kind, page: undefined })}>{w('mismatch', total.kind)}</Link></td>
                <td className="num">{total.open}</td>
                <td className="num">{formatEuros(total.openAtStakeCents)}</td>
                <td className="num">{total.reconciled}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('reconciliation.mismatches')} <span className="muted">({view.matching})</span></h2>
      {view.rows.length === 0 ? <p className="muted">{t('reconciliation.noMismatch')}</p> : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="mismatch-table">
            <thead><tr><th>{t('common.when')}</th><th>{t('common.kind')}</th><th>{t('common.order')}</th><th>{t('reconciliation.detail')}</th><th className="num">{t('reconciliation.ledger')}</th><th className="num">{t('reconciliation.provider')}</th><th className="num">{t('reconciliation.atStake')}</th><th>{t('reconciliation.state')}</th></tr></thead>
            <tbody>
              {view.rows.map((m) => (
                <tr key={m.key} data-key={m.key}>
                  <td><Time at={m.at} /></td>
                  <td>{w('mismatch', m.kind)}</td>
                  <td>{m.orderId ? <Link to={`${base}/${encodeURIComponent(m.orderId)}${query({ kind: undefined, state: undefined, page: undefined })}`}>{m.orderId}</Link> : '—'}</td>
                  <td>{r(m.words)}</td>
                  <td className="num">{formatEuros(m.ledgerCents)}</td>
                  <td className="num">{formatEuros(m.providerCents)}</td>
                  <td className="num">{formatEuros(m.atStakeCents)}</td>
                  <td>
                    {m.mark ? (
                      <span title={`${m.mark.by}, ${zoned(m.mark.at, timeZone)}`}><span className="badge completed">{w('mismatchState', 'reconciled')}</span> {m.mark.reason}</span>
                    ) : canMark ? (
                      <ActionDialog label={t('reconciliation.mark')} actionUrl={`${base}/mark`} reason="required" testId={`mark-${m.key}`}
                        confirmText={t('reconciliation.markConfirm')}>
                        <input type="hidden" name="key" value={m.key} />
                        <input type="hidden" name="from" value={period.from} />
                        <input type="hidden" name="to" value={period.to} />
                      </ActionDialog>
                    ) : <span className="badge failed">{w('mismatchState', 'open')}</span>}
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
