// One checkout session: the checkout machine's statechart with the current state lit, the
// transitions as reported, and the stored context (personal data was never stored; the
// masks show where it was).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Trans, useTranslation } from 'react-i18next';
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
import { pageTitle } from '~/i18n/fixed-t';
import { serverT } from '~/i18n/server-t.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, 'live', (t) => t('checkout.title', { id: data?.session.sessionId ?? '' })) }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const found = await getCheckout(ctx.tenantId, params.sessionId ?? '');
  invariantResponse(found, serverT(ctx.language, 'live')('checkout.notFound', { id: params.sessionId ?? '' }), 404);
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
  const { t } = useTranslation('live');
  const a = context.adresseLivraison;
  return (
    <dl className="kv" data-testid="checkout-context">
      <dt>{t('checkout.ctx.items')}</dt>
      <dd>
        {context.items?.length ? (
          <ul className="timeline">{context.items.map((i) => <li key={i.produitId}><code>{i.produitId}</code> {t('checkout.ctx.itemLine', { quantity: i.quantité, price: formatEuros(Math.round(i.prix * 100)) })}</li>)}</ul>
        ) : t('none')}
      </dd>
      <dt>{t('checkout.ctx.address')}</dt>
      <dd>{a ? <>{MASK} {MASK}, {MASK}, {a.codePostalPréfixe ?? ''}{'•••'} {a.ville ?? ''} ({a.pays ?? '?'})</> : t('none')}</dd>
      <dt>{t('checkout.ctx.shipping')}</dt><dd>{context.méthodeExpédition ?? t('none')}</dd>
      <dt>{t('checkout.ctx.paymentMethod')}</dt><dd>{context.méthodePaiementChoisie ? t('checkout.ctx.chosen', { mask: MASK }) : t('none')}</dd>
      <dt>{t('checkout.ctx.paymentAttempts')}</dt><dd>{context.tentativesPaiement ?? 0}</dd>
      <dt>{t('checkout.ctx.orderReference')}</dt><dd>{context.référenceCommande ?? t('none')}</dd>
      <dt>{t('checkout.ctx.deliveryError')}</dt><dd>{context.erreurLivraison ?? t('none')}</dd>
      <dt>{t('checkout.ctx.paymentError')}</dt><dd>{context.erreurPaiement ? <code className="error">{context.erreurPaiement}</code> : t('none')}</dd>
      <dt>{t('checkout.ctx.networkError')}</dt><dd>{context.erreurRéseau ?? t('none')}</dd>
    </dl>
  );
}

export default function CheckoutPage() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation('live');
  const { live } = useLiveData(`/t/${d.tenantId}/checkouts/stream?kinds=checkout`);
  const now = useNow(d.serverNow);
  const s = d.session;
  const stuck = isStuckCandidate(s.state, s.tags) && now - Date.parse(s.stateSince) > DEFAULT_STUCK_SECONDS * 1000;
  return (
    <main className="page">
      <p><Link to={`/t/${d.tenantId}/checkouts`}>{t('checkout.back')}</Link></p>
      <h1>
        <Trans t={t} i18nKey="checkout.heading" values={{ id: s.sessionId }} components={{ code: <code /> }} />{' '}
        <span className="badge" data-testid="session-state">{s.state}</span>
        {stuck && <span className="badge stuck-flag">{t('stuck')}</span>} <LiveBadge live={live} />
      </h1>
      <div className="grid2">
        <section className="card">
          <dl className="kv">
            <dt>{t('checkout.step')}</dt><dd>{s.step}</dd>
            <dt>{t('checkout.activeStates')}</dt><dd>{statePaths(s.stateValue).map((p) => <div key={p}><code>{p}</code></div>)}</dd>
            <dt>{t('checkout.tags')}</dt><dd>{s.tags.join(', ') || t('none')}</dd>
            <dt>{t('checkout.inState')}</dt><dd>{formatDuration(now - Date.parse(s.stateSince), t)}</dd>
            <dt>{t('checkout.cart')}</dt><dd>{t('checkout.items', { amount: formatEuros(s.cartCents), count: s.itemCount })}</dd>
            <dt>{t('checkout.lastEvent')}</dt><dd><code>{s.lastEventType}</code>, {t('duration.ago', { duration: formatDuration(now - Date.parse(s.lastEventAt), t) })}</dd>
            <dt>{t('checkout.firstSeen')}</dt><dd><Time at={s.firstEventAt} /></dd>
            <dt>{t('checkout.machineVersion')}</dt><dd>{s.machineVersion}</dd>
          </dl>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>{t('checkout.context')}</h2>
          <MaskedContext context={s.context as StoredContext} />
        </section>
      </div>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>{t('checkout.statechart')}</h2>
        <Statechart machine={machineCheckout} value={s.stateValue} testId="statechart" />
      </section>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>{t('checkout.transitions')}{d.truncated && t('checkout.latest', { limit: d.transitions.length })}</h2>
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="timeline">
            <thead><tr>{(['at', 'event', 'state', 'tags', 'attempts', 'error', 'cart'] as const).map((c) => <th key={c}>{t(`checkout.column.${c}`)}</th>)}</tr></thead>
            <tbody>
              {d.transitions.map((tr) => (
                <tr key={tr.id}>
                  <td><Time at={tr.at} precision="millisecond" /></td>
                  <td><code>{tr.eventType}</code></td>
                  <td title={statePaths(tr.stateValue).join('\n')}>{tr.state}</td>
                  <td>{tr.tags.join(', ')}</td>
                  <td>{tr.paymentAttempts}</td>
                  <td>{tr.lastErrorCode ? <code className="error">{tr.lastErrorCode}</code> : '—'}</td>
                  <td>{formatEuros(tr.cartCents)}</td>
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
