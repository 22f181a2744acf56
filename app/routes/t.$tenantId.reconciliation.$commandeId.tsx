import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { FinanceTabs } from '~/components/finance-tabs';
import { withQuery } from '~/components/query';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { MISMATCH_LABELS, STATUS_BADGE, formatEuros, statusLabel } from '~/finance/labels';
import { Time } from '~/components/zoned-time';
import { orderStory, periodQuery } from '~/finance/reconciliation.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.orderId ?? 'Order'} · Reconciliation · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const period = parseSearch(request, periodQuery());
  const orderId = params.commandeId ?? '';
  const story = await orderStory(ctx.tenantId, period, orderId);
  return json({ tenantId: ctx.tenantId, orderId, period, ...story });
}

const KIND_LABEL: Record<string, string> = {
  charge: 'charge', transfer: 'transfer to seller', insurance: 'insurance fee', refund: 'refund', transfer_reversal: 'transfer reversal', insurance_cancel: 'insurance cancellation',
};

export default function OrderStory() {
  const d = useLoaderData<typeof loader>();
  const s = d.story;
  const base = `/t/${d.tenantId}`;
  const reasonOf = new Map(d.refunds.map((r) => [r.key, r]));
  return (
    <main className="page">
      <p><Link to={`${base}/reconciliation${withQuery('', { from: d.period.from, to: d.period.to })}`}>← Reconciliation {d.period.from} – {d.period.to}</Link></p>
      <h1>
        Order <code>{d.orderId}</code>{' '}
        {s.saga ? <span className={`badge ${STATUS_BADGE[s.saga.status] ?? ''}`}>{statusLabel(s.saga.status)}</span> : <span className="badge failed">no saga</span>}
      </h1>
      <FinanceTabs tenantId={d.tenantId} />
      <div className="grid2">
        <section className="card">
          <h2>Saga</h2>
          {s.saga ? (
            <dl className="kv">
              <dt>Buyer → seller</dt><dd>{s.saga.buyerId} → {s.saga.sellerId}</dd>
              <dt>Total</dt><dd>{formatEuros(s.saga.totalCents)} (seller {formatEuros(s.saga.sellerCents)}, insurance {formatEuros(s.saga.insuranceCents)})</dd>
              <dt>Started</dt><dd><Time at={s.saga.startedAt} /></dd>
              <dt>Ended</dt><dd><Time at={s.saga.endedAt} /></dd>
              <dt>Payment page</dt><dd><Link to={`${base}/payments/${encodeURIComponent(d.orderId)}`}>journal, refunds, ledger →</Link></dd>
              {d.incident && <><dt>Incident</dt><dd><Link to={`${base}/incidents/${d.incident.id}`}>{d.incident.status}, {d.incident.severity}</Link></dd></>}
            </dl>
          ) : <p className="error">No payment saga of this tenant has this order id: the money moved outside any saga.</p>}
        </section>
        <section className="card">
          <h2>Where the money is, per the provider</h2>
          <dl className="kv" data-testid="story-net">
            <dt>Buyer charged, net of refunds</dt><dd>{formatEuros(s.chargeNetCents)}</dd>
            <dt>Seller paid, net of reversals</dt><dd>{formatEuros(s.transferNetCents)}</dd>
            <dt>Insurance fee billed</dt><dd>{formatEuros(s.insuranceBilledCents)}</dd>
          </dl>
        </section>
      </div>

      <section className="card">
        <h2>Mismatches</h2>
        {d.mismatches.length === 0 ? <p className="ok">The ledger and the provider agree on this order.</p> : (
          <ul className="timeline" data-testid="story-mismatches">
            {d.mismatches.map((m) => (
              <li key={m.key} className={m.mark ? 'sent' : 'next'}>
                <b>{MISMATCH_LABELS[m.kind]}</b> — {m.detail} At stake {formatEuros(m.atStakeCents)}.
                {m.mark && <> Reconciled by {m.mark.by}: “{m.mark.reason}”.</>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card">
        <h2>Movements: ledger and provider side by side</h2>
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="story-movements">
            <thead>
              <tr><th>When</th><th>Movement</th><th>Ledger key</th><th>Ledger</th><th className="num">Ledger amount</th><th>Provider object</th><th>Provider</th><th className="num">Provider amount</th><th>Why</th></tr>
            </thead>
            <tbody>
              {s.movements.map((m, i) => (
                <tr key={i}>
                  <td><Time at={m.at} /></td>
                  <td>{KIND_LABEL[m.kind] ?? m.kind}</td>
                  <td><code>{m.ledger?.idempotencyKey ?? '—'}</code></td>
                  <td>{m.ledger ? `${m.ledger.status}${m.ledger.attempts > 1 ? ` (${m.ledger.attempts} attempts)` : ''}` : <span className="error">not in the ledger</span>}</td>
                  <td className="num">{formatEuros(m.ledger?.amountCents)}</td>
                  <td><code>{m.provider?.id ?? '—'}</code></td>
                  <td>{m.provider ? m.provider.status : m.verifiable ? <span className="error">none</span> : <span className="muted">outside the window</span>}</td>
                  <td className="num">{formatEuros(m.provider?.amountCents)}</td>
                  <td>{m.ledger ? reasonOf.get(m.ledger.idempotencyKey)?.reason ?? '' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card">
        <h2>What people did</h2>
        {d.audit.length === 0 && d.retries.length === 0 ? <p className="muted">Nothing recorded.</p> : (
          <ul className="timeline" data-testid="story-audit">
            {d.audit.map((a) => <li key={a.id}><Time at={a.at} /> — {a.actor}: <code>{a.action}</code> ({a.outcome}){a.reason ? `: “${a.reason}”` : ''}</li>)}
          </ul>
        )}
      </section>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
