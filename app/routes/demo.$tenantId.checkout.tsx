// Demo storefront checkout: machineCheckout itself, with its two actors pointed at small
// demo endpoints that fail on request, reported to Vigie through machines/reporter.ts.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useActorRef, useSelector } from '@xstate/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  createCheckoutActors,
  createReporter,
  machineCheckout,
  MAX_TENTATIVES_PAIEMENT,
  paiementBloqué,
  peutConfirmerPaiement,
  peutRéessayer,
  peutRevenirAuPaiement,
  type MéthodeExpédition,
  type Reporter,
} from '../../machines';
import { DemoShell, useReporterStats } from '~/components/demo-shell';
import styles from '~/components/ingest.css';
import { Statechart } from '~/components/statechart';
import { demoApiKey, demoSessionId, requireDemoAccess } from '~/ingest/demo.server';
import { DEMO_PAYMENT_ERRORS, statePaths } from '~/ingest/labels';
// The seed's prices are euros; the console's one money format takes cents.
import { formatEuros } from '~/finance/labels';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = () => [{ title: 'Demo checkout · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireDemoAccess(request, params.tenantId);
  const apiKey = await demoApiKey(ctx);
  return json({
    tenantId: ctx.tenantId,
    tenantName: ctx.tenantName,
    apiKey,
    keyPrefix: apiKey.slice(0, apiKey.length - 35),
    // Made here, not in the browser, so server and client render the same id.
    sessionId: demoSessionId(new URL(request.url).searchParams.get('session')),
  });
}

const PRODUCTS = [
  { produitId: 'canape-velours', label: 'Canapé velours 3 places', prix: 1290 },
  { produitId: 'table-chene', label: 'Table en chêne massif', prix: 650 },
  { produitId: 'lampe-laiton', label: 'Lampe en laiton', prix: 89.9 },
];

type Fault = 'none' | (typeof DEMO_PAYMENT_ERRORS)[number];

/** Shorter than the production 45 s (délaiPaiement) so a payment with no answer is visible in a demo. */
const DEMO_PAYMENT_TIMEOUT_MS = 10_000;

export default function DemoCheckout() {
  const d = useLoaderData<typeof loader>();
  const [sessionId] = useState(d.sessionId);
  // Read at request time by the actors, so changing a control affects the next call.
  const fault = useRef<Fault>('none');
  const delay = useRef(800);
  const [faultShown, setFaultShown] = useState<Fault>('none');

  const machine = useMemo(() => {
    const base = `/demo/${d.tenantId}/api`;
    const actors = createCheckoutActors({
      endpoints: { validerLivraison: `${base}/livraison`, traiterPaiement: `${base}/pay` },
      fetch: (input, init) => {
        const url = new URL(String(input), window.location.origin);
        if (url.pathname.endsWith('/pay')) {
          url.searchParams.set('delay', String(delay.current));
          if (fault.current !== 'none') url.searchParams.set('fail', fault.current);
        }
        return fetch(url, init);
      },
    });
    return machineCheckout.provide({ actors, delays: { délaiPaiement: DEMO_PAYMENT_TIMEOUT_MS } });
  }, [d.tenantId]);

  const actor = useActorRef(machine);
  const snapshot = useSelector(actor, (s) => s);
  const reporter = useRef<Reporter<'checkout'> | null>(null);

  useEffect(() => {
    const r = createReporter({
      endpoint: '/api/v1/checkout-events',
      apiKey: d.apiKey,
      source: 'checkout',
      sessionId,
      // A demo shows the console catching up at once; a storefront would batch for longer.
      flushIntervalMs: 200,
    });
    r.attach(actor);
    reporter.current = r;
    return () => {
      void r.stop();
      reporter.current = null;
    };
  }, [actor, d.apiKey, sessionId]);
  const stats = useReporterStats(useCallback(() => reporter.current?.stats() ?? null, []));

  const [form, setForm] = useState({ prénom: 'Camille', nom: 'Martin', ligne1: '12 rue des Lilas', ligne2: '', ville: 'Lyon', codePostal: '69003', pays: 'FR' });
  const [méthode, setMéthode] = useState<MéthodeExpédition>('express');
  const c = snapshot.context;
  const total = c.items.reduce((n, i) => n + i.prix * i.quantité, 0);

  return (
    <DemoShell title="Demo checkout (CartFlow storefront)" tenantId={d.tenantId} tenantName={d.tenantName} keyPrefix={d.keyPrefix}
      consoleLink={`/t/${d.tenantId}/checkouts/${encodeURIComponent(sessionId)}`} stats={stats}>
      <div className="grid2">
        <section className="card demo-controls" aria-label="Fault injection">
          <h2 style={{ marginTop: 0 }}>Controls</h2>
          <label>Next payments
            <select data-testid="payment-fault" value={faultShown} onChange={(e) => { fault.current = e.target.value as Fault; setFaultShown(fault.current); }}>
              <option value="none">succeed</option>
              {DEMO_PAYMENT_ERRORS.map((code) => <option key={code} value={code}>fail with {code}</option>)}
            </select>
          </label>
          <label>Payment takes (ms)
            <input type="number" min={0} max={30000} step={100} defaultValue={delay.current} data-testid="payment-delay"
              onChange={(e) => { delay.current = Number(e.target.value) || 0; }} />
          </label>
          <p className="muted">The page gives up on a payment after {DEMO_PAYMENT_TIMEOUT_MS / 1000} s (erreur_réseau); the server still
            charges it, once: a retry sends the same idempotency key and gets the same order.</p>
          <p className="muted">Session <code data-testid="session-id">{sessionId}</code></p>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>State <code data-testid="demo-state">{statePaths(snapshot.value).join(' | ')}</code></h2>
          <p>Tags: <span data-testid="demo-tags">{[...snapshot.tags].sort().join(', ')}</span></p>
          <p>Payment attempts: <b data-testid="attempts">{c.tentativesPaiement}</b> / {MAX_TENTATIVES_PAIEMENT}</p>
        </section>
      </div>

      <section className="card" aria-label="Checkout">
        {snapshot.matches('panier') && (
          <>
            <h2 style={{ marginTop: 0 }}>Panier</h2>
            <ul className="timeline">
              {PRODUCTS.map((p) => (
                <li key={p.produitId}>
                  {p.label} — {formatEuros(Math.round(p.prix * 100))}{' '}
                  <button type="button" className="secondary" onClick={() => actor.send({ type: 'AJOUTER_ARTICLE', produitId: p.produitId, quantité: 1, prix: p.prix })}>
                    Ajouter {p.label}
                  </button>
                </li>
              ))}
            </ul>
            <p>{c.items.length} article(s), total {formatEuros(Math.round(total * 100))}</p>
            <button type="button" disabled={!snapshot.can({ type: 'ALLER_LIVRAISON' })} onClick={() => actor.send({ type: 'ALLER_LIVRAISON' })}>
              Aller à la livraison
            </button>
          </>
        )}
        {(snapshot.matches('livraison') || snapshot.matches('validationLivraison')) && (
          <form className="stack" onSubmit={(e) => { e.preventDefault(); actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: form, méthode }); }}>
            <h2 style={{ marginTop: 0 }}>Livraison</h2>
            {c.erreurLivraison && (
              <p className="error" role="alert">{c.erreurRéseau ? `Pas de réponse : ${c.erreurRéseau}` : `Adresse refusée : ${c.erreurLivraison}`}</p>
            )}
            <div className="row">
              {(['prénom', 'nom', 'ligne1', 'ville', 'codePostal', 'pays'] as const).map((k) => (
                <label key={k}>{k}<input value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} /></label>
              ))}
              <label>méthode
                <select value={méthode} onChange={(e) => setMéthode(e.target.value as MéthodeExpédition)}>
                  <option>standard</option><option>express</option><option>premium</option>
                </select>
              </label>
            </div>
            <button type="submit" disabled={!snapshot.can({ type: 'CONFIRMER_LIVRAISON', adresse: form, méthode })}>
              {snapshot.matches('validationLivraison') ? 'Validation…' : 'Confirmer la livraison'}
            </button>
          </form>
        )}
        {(snapshot.matches('paiement') || snapshot.matches('traitementPaiement')) && (
          <>
            <h2 style={{ marginTop: 0 }}>Paiement</h2>
            <p>Carte de démonstration <code>pm_card_visa</code></p>
            <div className="row">
              {/* Disabled in traitementPaiement by the machine itself: no double submit. */}
              <button type="button" disabled={!peutConfirmerPaiement(snapshot)} onClick={() => actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_card_visa' })}>
                {snapshot.matches('traitementPaiement') ? 'Paiement en cours…' : 'Confirmer la commande'}
              </button>
              <button type="button" className="secondary" disabled={!snapshot.can({ type: 'RETOUR_LIVRAISON' })} onClick={() => actor.send({ type: 'RETOUR_LIVRAISON' })}>
                Retour à la livraison
              </button>
            </div>
          </>
        )}
        {snapshot.matches('erreurPaiement') && (
          <>
            <h2 style={{ marginTop: 0 }}>Paiement refusé</h2>
            <p className="error" role="alert">Code : <code data-testid="payment-error">{c.erreurPaiement}</code></p>
            {paiementBloqué(snapshot) && <p className="error" data-testid="payment-blocked">Paiement bloqué : plus aucune nouvelle tentative possible.</p>}
            <div className="row">
              <button type="button" disabled={!peutRéessayer(snapshot)} onClick={() => actor.send({ type: 'RÉESSAYER_PAIEMENT' })}>Réessayer le paiement</button>
              <button type="button" className="secondary" disabled={!peutRevenirAuPaiement(snapshot)} onClick={() => actor.send({ type: 'RETOUR_PAIEMENT' })}>
                Autre moyen de paiement
              </button>
            </div>
          </>
        )}
        {snapshot.matches('confirmation') && (
          <>
            <h2 style={{ marginTop: 0 }}>Commande confirmée</h2>
            <p>Référence <code data-testid="order-ref">{c.référenceCommande}</code></p>
            <button type="button" onClick={() => actor.send({ type: 'NOUVELLE_COMMANDE' })}>Nouvelle commande</button>
          </>
        )}
      </section>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Statechart</h2>
        <Statechart machine={machineCheckout} value={snapshot.value} testId="demo-statechart" />
      </section>
    </DemoShell>
  );
}
