// One checkout session: the checkout machine's statechart with the current state lit, the
// transitions as reported, and the stored context (personal data was never stored; the
// masks show where it was).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { machineCheckout } from '../../machines';
import styles from '~/components/ingest.css';
import { formatDuration, LiveBadge, useLiveData, useNow } from '~/components/live';
import { Time } from '~/components/zoned-time';
import { formatEuros } from '../../finance/euros';
import { Statechart } from '~/components/statechart';
import { requireTenantPermission } from '~/server/auth.server';
import { getCheckout } from '~/live/checkouts.server';
import { invariantResponse } from '~/server/http.server';
import { DEFAULT_STUCK_SECONDS, isStuckCandidate, statePaths } from '~/ingest/labels';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Checkout ${data?.session.sessionId ?? ''} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const found = await getCheckout(ctx.tenantId, params.sessionId ?? '');
  invariantResponse(found, 'Not found', 404);
  return json({ tenantId: ctx.tenantId, serverNow: Date.now(), ...found });
}

interface StoredContext {
  items?: { produitId: string; quantité: number; prix: number }[];
  adresseLivraison?: { ville: string | null; pays: string | null; codePostalPréfixe: string | null } | null;
  méthodeExpédition?: string | null;
  méthodePaiementChoisie?: boolean;
  tentativesPaiement?: number;
  référenceCommande?: string | null;
  erreurLivraison?: string | null;
  erreurPaiement?: string | null;
  erreurRéseau?: string | null;
}

const MASK = '••••••';

function MaskedContext({ context }: { context: StoredContext }) {
  const a = context.adresseLivraison;
  return (
    <dl className="kv" data-testid="checkout-context">
      <dt>Items</dt>
      <dd>
        {context.items?.length ? (
          <ul className="timeline">{context.items.map((i) => <li key={i.produitId}><code>{i.produitId}</code> × {i.quantité} à {formatEuros(Math.round(i.prix * 100))}</li>)}</ul>
        ) : '—'}
      </dd>
      <dt>Delivery address</dt>
      <dd>{a ? <>{MASK} {MASK}, {MASK}, {a.codePostalPréfixe ?? ''}{'•••'} {a.ville ?? ''} ({a.pays ?? '?'})</> : '—'}</dd>
      <dt>Shipping</dt><dd>{context.méthodeExpédition ?? '—'}</dd>
      <dt>Payment method</dt><dd>{context.méthodePaiementChoisie ? `chosen (id ${MASK}, not stored)` : '—'}</dd>
      <dt>Payment attempts</dt><dd>{context.tentativesPaiement ?? 0}</dd>
      <dt>Order reference</dt><dd>{context.référenceCommande ?? '—'}</dd>
      <dt>Delivery error</dt><dd>{context.erreurLivraison ?? '—'}</dd>
      <dt>Payment error</dt><dd>{context.erreurPaiement ? <code className="error">{context.erreurPaiement}</code> : '—'}</dd>
      <dt>Network error</dt><dd>{context.erreurRéseau ?? '—'}</dd>
    </dl>
  );
}

export default function CheckoutPage() {
  const d = useLoaderData<typeof loader>();
  const { live } = useLiveData(`/t/${d.tenantId}/checkouts/stream?kinds=checkout`);
  const now = useNow(d.serverNow);
  const s = d.session;
  const stuck = isStuckCandidate(s.state, s.tags) && now - Date.parse(s.stateSince) > DEFAULT_STUCK_SECONDS * 1000;
  return (
    <main className="page">
      <p><Link to={`/t/${d.tenantId}/checkouts`}>← Live checkouts</Link></p>
      <h1>
        Checkout <code>{s.sessionId}</code>{' '}
        <span className="badge" data-testid="session-state">{s.state}</span>
        {stuck && <span className="badge stuck-flag">stuck</span>} <LiveBadge live={live} />
      </h1>
      <div className="grid2">
        <section className="card">
          <dl className="kv">
            <dt>Step</dt><dd>{s.step}</dd>
            <dt>Active states</dt><dd>{statePaths(s.stateValue).map((p) => <div key={p}><code>{p}</code></div>)}</dd>
            <dt>Tags</dt><dd>{s.tags.join(', ') || '—'}</dd>
            <dt>In this state for</dt><dd>{formatDuration(now - Date.parse(s.stateSince))}</dd>
            <dt>Cart</dt><dd>{formatEuros(s.cartCents)} ({s.itemCount} items)</dd>
            <dt>Last event</dt><dd><code>{s.lastEventType}</code>, {formatDuration(now - Date.parse(s.lastEventAt))} ago</dd>
            <dt>First seen</dt><dd><Time at={s.firstEventAt} /></dd>
            <dt>Machine version</dt><dd>{s.machineVersion}</dd>
          </dl>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Context</h2>
          <MaskedContext context={s.context as StoredContext} />
        </section>
      </div>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Statechart</h2>
        <Statechart machine={machineCheckout} value={s.stateValue} testId="statechart" />
      </section>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Transitions{d.truncated && ' (latest 500)'}</h2>
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="timeline">
            <thead><tr><th>At</th><th>Event</th><th>State</th><th>Tags</th><th>Attempts</th><th>Error</th><th>Cart</th></tr></thead>
            <tbody>
              {d.transitions.map((t) => (
                <tr key={t.id}>
                  <td><Time at={t.at} precision="millisecond" /></td>
                  <td><code>{t.eventType}</code></td>
                  <td title={statePaths(t.stateValue).join('\n')}>{t.state}</td>
                  <td>{t.tags.join(', ')}</td>
                  <td>{t.paymentAttempts}</td>
                  <td>{t.lastErrorCode ? <code className="error">{t.lastErrorCode}</code> : '—'}</td>
                  <td>{formatEuros(t.cartCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
