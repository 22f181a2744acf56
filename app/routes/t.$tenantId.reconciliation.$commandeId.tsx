import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { FinanceTabs } from '~/components/finance-tabs';
import { withQuery } from '~/components/query';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { STATUS_BADGE, financeTitle, formatEuros, useFinanceT } from '~/finance/labels';
import { Time } from '~/components/zoned-time';
import { orderStory, periodQuery } from '~/finance/reconciliation.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: `${data?.orderId ?? financeTitle(matches, (f) => f.common.order)} · ${financeTitle(matches, (f) => f.reconciliation.title)} · Vigie` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const period = parseSearch(request, periodQuery());
  const orderId = params.commandeId ?? '';
  const story = await orderStory(ctx.tenantId, period, orderId, ctx.language);
  return json({ tenantId: ctx.tenantId, orderId, period, ...story });
}

export default function OrderStory() {
  const d = useLoaderData<typeof loader>();
  const { t, w, r } = useFinanceT();
  const s = d.story;
  const base = `/t/${d.tenantId}`;
  const reasonOf = new Map(d.refunds.map((r) => [r.key, r]));
  return (
    <main className="page">
      <p><Link to={`${base}/reconciliation${withQuery('', { from: d.period.from, to: d.period.to })}`}>{t('story.back', { from: d.period.from, to: d.period.to })}</Link></p>
      <h1>
        {t('common.order')} <code>{d.orderId}</code>{' '}
        {s.saga ? <span className={`badge ${STATUS_BADGE[s.saga.status] ?? ''}`}>{w('sagaStatus', s.saga.status)}</span> : <span className="badge failed">{t('story.noSaga')}</span>}
      </h1>
      <FinanceTabs tenantId={d.tenantId} />
      <div className="grid2">
        <section className="card">
          <h2>{t('story.saga')}</h2>
          {s.saga ? (
            <dl className="kv">
              <dt>{t('story.buyerSeller')}</dt><dd>{s.saga.buyerId} → {s.saga.sellerId}</dd>
              <dt>{t('common.total')}</dt><dd>{t('story.totalSplit', { total: formatEuros(s.saga.totalCents), seller: formatEuros(s.saga.sellerCents), insurance: formatEuros(s.saga.insuranceCents) })}</dd>
              <dt>{t('common.started')}</dt><dd><Time at={s.saga.startedAt} /></dd>
              <dt>{t('common.ended')}</dt><dd><Time at={s.saga.endedAt} /></dd>
              <dt>{t('story.paymentPage')}</dt><dd><Link to={`${base}/payments/${encodeURIComponent(d.orderId)}`}>{t('story.paymentLink')}</Link></dd>
              {d.incident && <><dt>{t('common.incident')}</dt><dd><Link to={`${base}/incidents/${d.incident.id}`}>{t('story.incidentLink', { status: w('incidentStatus', d.incident.status), severity: w('severity', d.incident.severity) })}</Link></dd></>}
            </dl>
          ) : <p className="error">{t('story.outsideSaga')}</p>}
        </section>
        <section className="card">
          <h2>{t('story.whereMoney')}</h2>
          <dl className="kv" data-testid="story-net">
            <dt>{t('story.chargeNet')}</dt><dd>{formatEuros(s.chargeNetCents)}</dd>
            <dt>{t('story.transferNet')}</dt><dd>{formatEuros(s.transferNetCents)}</dd>
            <dt>{t('story.insuranceBilled')}</dt><dd>{formatEuros(s.insuranceBilledCents)}</dd>
          </dl>
        </section>
      </div>

      <section className="card">
        <h2>{t('reconciliation.mismatches')}</h2>
        {d.mismatches.length === 0 ? <p className="ok">{t('story.agree')}</p> : (
          <ul className="timeline" data-testid="story-mismatches">
            {d.mismatches.map((m) => (
              <li key={m.key} className={m.mark ? 'sent' : 'next'}>
                <b>{w('mismatch', m.kind)}</b> — {r(m.words)} {t('story.atStake', { amount: formatEuros(m.atStakeCents) })}
                {m.mark && <> {t('story.reconciledBy', { by: m.mark.by, reason: m.mark.reason })}</>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card">
        <h2>{t('story.movements')}</h2>
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="story-movements">
            <thead>
              <tr><th>{t('common.when')}</th><th>{t('story.movement')}</th><th>{t('story.ledgerKey')}</th><th>{t('reconciliation.ledger')}</th><th className="num">{t('story.ledgerAmount')}</th><th>{t('story.providerObject')}</th><th>{t('reconciliation.provider')}</th><th className="num">{t('story.providerAmount')}</th><th>{t('story.why')}</th></tr>
            </thead>
            <tbody>
              {s.movements.map((m, i) => (
                <tr key={i}>
                  <td><Time at={m.at} /></td>
                  <td>{w('movement', m.kind)}</td>
                  <td><code>{m.ledger?.idempotencyKey ?? '—'}</code></td>
                  <td>{m.ledger ? `${w('entryStatus', m.ledger.status)}${m.ledger.attempts > 1 ? t('story.attempts', { count: m.ledger.attempts }) : ''}` : <span className="error">{t('story.notInLedger')}</span>}</td>
                  <td className="num">{formatEuros(m.ledger?.amountCents)}</td>
                  <td><code>{m.provider?.id ?? '—'}</code></td>
                  <td>{m.provider ? w('entryStatus', m.provider.status) : m.verifiable ? <span className="error">{t('story.none')}</span> : <span className="muted">{t('story.outsideWindow')}</span>}</td>
                  <td className="num">{formatEuros(m.provider?.amountCents)}</td>
                  <td>{m.ledger ? reasonOf.get(m.ledger.idempotencyKey)?.reason ?? '' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card">
        <h2>{t('story.people')}</h2>
        {d.audit.length === 0 && d.retries.length === 0 ? <p className="muted">{t('story.nothingRecorded')}</p> : (
          <ul className="timeline" data-testid="story-audit">
            {d.audit.map((a) => <li key={a.id}><Time at={a.at} /> — {a.actor}: <code>{a.action}</code> ({a.outcome}){a.reason ? `: “${a.reason}”` : ''}</li>)}
          </ul>
        )}
      </section>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
