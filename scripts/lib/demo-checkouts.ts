// CartFlow's stuck checkout of the demo: a shopper whose browser went away while the payment was
// in progress, so the session's last report is `traitementPaiement`, minutes older than the
// console's default stuck threshold (DEFAULT_STUCK_SECONDS). The background simulator's hanging
// payments are stuck only between that threshold and the machine's délaiPaiement, and only now
// and then; this one is there from the first page the operator opens.
// The events are the real ones: the real machine, driven as a shopper would, reported by the real
// reporter, validated by the ingestion API's schema and stored by its store. Only their times are
// moved back (the shopper came by before the demo started), and their ids are fixed, so a second
// seeding stores nothing twice.
import { createActor, fromPromise, waitFor } from 'xstate';
import { parseCheckoutBatch } from '../../app/ingest/schema.server';
import { storeCheckoutEvents } from '../../app/ingest/store.server';
import { machineCheckout } from '../../machines/checkout/machine';
import type { EntréeTraiterPaiement, EntréeValiderLivraison, SortieTraiterPaiement, SortieValiderLivraison } from '../../machines/checkout/types';
import { createReporter } from '../../machines/reporter';
import type { ReporterBatch } from '../../machines/reporter-types';

export const DEMO_STUCK_CHECKOUT = { tenantId: 'cartflow', sessionId: 'demo-paiement-sans-reponse' } as const;
/** How long before seeding the shopper entered traitementPaiement; the shop visit took a few minutes before that. */
const ENTERED_PAYMENT_AGO_MS = 20 * 60_000;
const STEP_MS = 40_000;

/** The reported events of a shopper who pays and whose tab closes before the payment answers. */
async function reportedEvents() {
  const sent: ReporterBatch['events'] = [];
  const actor = createActor(
    machineCheckout.provide({
      actors: {
        validerLivraison: fromPromise<SortieValiderLivraison, EntréeValiderLivraison>(async () => ({ fraisLivraison: 9.9, délaiEstimé: '3 jours' })),
        // The payment provider's answer never reaches this tab.
        traiterPaiement: fromPromise<SortieTraiterPaiement, EntréeTraiterPaiement>(
          ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('onglet fermé')), { once: true })),
        ),
      },
    }),
  );
  const reporter = createReporter({
    endpoint: 'http://demo.invalid/api/v1/checkout-events',
    apiKey: 'demo',
    source: 'checkout',
    sessionId: DEMO_STUCK_CHECKOUT.sessionId,
    fetch: async (_url, init) => {
      sent.push(...(JSON.parse(String(init?.body)) as ReporterBatch).events);
      return new Response('{}', { status: 202 });
    },
  });
  reporter.attach(actor);
  actor.start();
  actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'canape-velours', quantité: 1, prix: 1290 });
  actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'lampe-laiton', quantité: 2, prix: 89.9 });
  actor.send({ type: 'ALLER_LIVRAISON' });
  actor.send({
    type: 'CONFIRMER_LIVRAISON',
    méthode: 'standard',
    adresse: { prénom: 'Démo', nom: 'Client', ligne1: '12 rue de la Roquette', ligne2: '', ville: 'Paris', pays: 'FR', codePostal: '75011' },
  });
  await waitFor(actor, (s) => s.matches('paiement'), { timeout: 5_000 });
  actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_demo_bloque' });
  await waitFor(actor, (s) => s.matches('traitementPaiement'), { timeout: 5_000 });
  // The tab closes: the reporter sends what it has, the machine (and its délaiPaiement) stops.
  await reporter.stop();
  actor.stop();
  return sent;
}

/**
 * Stores the stuck checkout through the ingestion API's schema and store (which write to the
 * console's DATABASE_URL). Returns how many of its events were new.
 */
export async function seedDemoStuckCheckout(now = Date.now()): Promise<number> {
  const events = await reportedEvents();
  const enteredPayment = now - ENTERED_PAYMENT_AGO_MS;
  const dated = events.map((e, i) => ({
    ...e,
    eventId: `${DEMO_STUCK_CHECKOUT.sessionId}-${i}`,
    at: new Date(enteredPayment - (events.length - 1 - i) * STEP_MS).toISOString(),
  }));
  const parsed = parseCheckoutBatch({ events: dated });
  if (!parsed.ok) throw new Error(`the demo checkout's events were refused: ${parsed.issues.join('; ')}`);
  const stored = await storeCheckoutEvents(DEMO_STUCK_CHECKOUT.tenantId, parsed.events);
  return stored.filter(Boolean).length;
}
