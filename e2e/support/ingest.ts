// Helpers for the ingestion specs: an API key made in the database, and checkout events in
// the reporter's wire format (machines/reporter-types.ts).
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { generateApiKey } from '../../app/admin/api-keys.server';
import type { CheckoutTransitionEvent } from '../../machines/reporter-types';
import { testDb } from '../../test-support/factories';
import { uid } from '../../test-support/ids';

export async function makeApiKey(tenantId: string, name = 'e2e') {
  const made = generateApiKey(tenantId);
  const key = await testDb().apiKey.create({ data: { tenantId, name, prefix: made.prefix, keyHash: made.keyHash } });
  return { raw: made.raw, id: key.id };
}

export function checkoutEvent(over: Partial<CheckoutTransitionEvent> = {}): CheckoutTransitionEvent {
  return {
    source: 'checkout',
    eventId: randomUUID(),
    sessionId: uid('api'),
    machineId: 'checkout',
    version: '1.0.0',
    at: new Date().toISOString(),
    state: 'panier',
    tags: ['navigation'],
    eventType: 'AJOUTER_ARTICLE',
    context: {
      items: [{ produitId: 'lampe', quantité: 1, prix: 89.9 }],
      adresseLivraison: null,
      méthodeExpédition: null,
      méthodePaiementChoisie: false,
      tentativesPaiement: 0,
      référenceCommande: null,
      erreurLivraison: null,
      erreurPaiement: null,
      erreurRéseau: null,
    },
    ...over,
  };
}

/** Demo pages act only once React has hydrated; the reporter's stats line appears then. */
export async function waitForDemoPage(page: Page) {
  await expect(page.getByTestId('reporter-stats')).toContainText('sent');
}

/** One checkout event sent through the ingestion API with `apiKey`, waited for until it is stored. */
export async function ingestCheckout(baseURL: string, tenantId: string, apiKey: string): Promise<CheckoutTransitionEvent> {
  const checkout = checkoutEvent();
  const ingested = await fetch(new URL('/api/v1/checkout-events', baseURL), {
    method: 'POST', headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ events: [checkout] }),
  });
  expect(ingested.status).toBe(202);
  await expect.poll(async () => testDb().checkoutSession.count({ where: { tenantId, sessionId: checkout.sessionId } }), { timeout: 10_000 }).toBe(1);
  return checkout;
}

