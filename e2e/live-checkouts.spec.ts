import { expect, test } from '@playwright/test';
import { makeStaff, makeTenant, signIn, uid } from '../test-support/factories';
import { randomUUID } from 'node:crypto';
import { checkoutEvent, makeApiKey, waitForDemoPage } from './support/ingest';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

test('a checkout driven in one browser appears state by state in the console open in another', async ({ browser }) => {
  const tenant = await makeTenant('Live');
  const oncall = await makeStaff({ [tenant.id]: 'oncall' });
  const shopperContext = await browser.newContext();
  const consoleContext = await browser.newContext();
  await signIn(shopperContext, oncall, tenant.id, baseURL);
  await signIn(consoleContext, oncall, tenant.id, baseURL);
  const shop = await shopperContext.newPage();
  const console_ = await consoleContext.newPage();
  const sessionId = uid('live');

  // A 2 s threshold, so the slow payment below turns stuck while we watch.
  await console_.goto(`/t/${tenant.id}/checkouts?threshold=2`);
  await expect(console_.getByTestId('live-status')).toHaveAttribute('data-live', 'on');
  await expect(console_.getByText('No checkout of this tenant matches.')).toBeVisible();
  let navigations = 0;
  console_.on('framenavigated', () => (navigations += 1));

  await shop.goto(`/demo/${tenant.id}/checkout?session=${sessionId}`);
  await waitForDemoPage(shop);
  await shop.getByTestId('payment-delay').fill('5000');
  const row = console_.locator(`tr[data-row-id="${sessionId}"]`);
  const state = row.getByTestId('checkout-state');

  await shop.getByRole('button', { name: 'Ajouter Lampe en laiton' }).click();
  await expect(state).toHaveText('panier');
  await expect(row).toContainText('89,90');

  await shop.getByRole('button', { name: 'Aller à la livraison' }).click();
  await expect(state).toHaveText('livraison');

  await shop.getByRole('button', { name: 'Confirmer la livraison' }).click();
  await expect(state).toHaveText('paiement');

  await shop.getByRole('button', { name: 'Confirmer la commande' }).click();
  await expect(state).toHaveText('traitementPaiement');
  await expect(row).toContainText('bloquant, chargement');
  await expect(row.getByTestId('stuck-flag')).toBeVisible({ timeout: 4_000 });

  await expect(state).toHaveText('confirmation', { timeout: 10_000 });
  await expect(row.getByTestId('stuck-flag')).toHaveCount(0);
  // It all came through the live stream: the console page was never reloaded.
  expect(navigations).toBe(0);

  await row.getByRole('link', { name: sessionId }).click();
  await expect(console_.getByTestId('session-state')).toHaveText('confirmation');
  await expect(console_.locator('[data-testid="statechart"] [data-state-id="checkout.confirmation"]')).toHaveAttribute('data-active', 'true');
  await expect(console_.locator('[data-testid="statechart"] [data-state-id="checkout.panier"]')).not.toHaveAttribute('data-active', 'true');
  await expect(console_.getByTestId('timeline').locator('tbody tr')).toHaveCount(6);
  await expect(console_.getByTestId('checkout-context')).toContainText('69••• Lyon (FR)');
  await expect(console_.getByTestId('checkout-context')).not.toContainText('Martin');

  await shopperContext.close();
  await consoleContext.close();
});

test('another tenant’s staff sees neither the list row nor the session page', async ({ page, context }) => {
  const tenant = await makeTenant('Mine');
  const other = await makeTenant('Other');
  const outsider = await makeStaff({ [other.id]: 'admin' });
  await signIn(context, outsider, other.id, baseURL);
  const res = await page.goto(`/t/${tenant.id}/checkouts`);
  expect(res?.status()).toBe(404);
  const stream = await page.request.get(`/t/${tenant.id}/checkouts/stream`);
  expect(stream.status()).toBe(404);
  const demo = await page.goto(`/demo/${tenant.id}/checkout`);
  expect(demo?.status()).toBe(404);
});

test('the kanban errors page and the dashboard show what the tenant reported', async ({ page, context, request }) => {
  const tenant = await makeTenant('Views');
  const oncall = await makeStaff({ [tenant.id]: 'oncall' });
  const key = await makeApiKey(tenant.id);
  const board = [
    { id: 'todo', titre: 'À faire', cartes: [{ id: 'k1', titre: 'Écrire la doc' }] },
    { id: 'doing', titre: 'En cours', limite: 3, cartes: [] },
  ];
  const saveError = (kind: 'error' | 'timeout', erreur: string) => ({
    source: 'kanban', eventId: randomUUID(), sessionId: 's', machineId: 'dndKanban', version: '1.0.0', at: new Date().toISOString(),
    boardId: 'roadmap', carteId: 'k1', colonneOriginale: 'todo', colonneCible: 'doing', indexCible: 0, erreur, kind, board,
  });
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key.raw}` };
  const kanban = await request.post('/api/v1/kanban-errors', {
    headers,
    data: JSON.stringify({ events: [saveError('error', 'Erreur 500'), saveError('error', 'Erreur 500'), saveError('timeout', 'Délai de sauvegarde dépassé')] }),
  });
  expect(kanban.status()).toBe(202);
  const declined = (n: number) => checkoutEvent({ sessionId: `declined-${n}`, state: 'erreurPaiement', eventType: 'xstate.error.actor.traiterPaiement',
    context: { ...checkoutEvent().context, tentativesPaiement: 1, erreurPaiement: 'card_declined_permanently' } });
  const checkouts = await request.post('/api/v1/checkout-events', { headers, data: JSON.stringify({ events: [declined(1), declined(2), checkoutEvent()] }) });
  expect(checkouts.status()).toBe(202);

  await signIn(context, oncall, tenant.id, baseURL);
  await page.goto(`/t/${tenant.id}/kanban`);
  await expect(page.getByTestId('rollback-total')).toHaveText('3');
  await expect(page.getByTestId('timeout-total')).toHaveText('1');
  const groups = page.getByTestId('error-groups');
  // The Count cell itself (the row's date holds a 2 too).
  await expect(groups.getByRole('row').filter({ hasText: 'Erreur 500' }).getByRole('cell').nth(4)).toHaveText('2');
  await expect(groups.getByRole('row').filter({ hasText: 'Délai de sauvegarde dépassé' })).toContainText('timeout');
  const latest = page.getByTestId('recent-errors').locator('tr[data-card="k1"]').first();
  await expect(latest).toContainText('todo #0 → doing #0');
  await latest.getByText('show').click();
  await expect(latest).toContainText('Écrire la doc');

  await page.goto(`/t/${tenant.id}/dashboard`);
  await expect(page.getByTestId('dash-checkouts').locator('[data-key="erreurPaiement"] b')).toHaveText('2');
  await expect(page.getByTestId('dash-checkouts').locator('[data-key="panier"] b')).toHaveText('1');
  await expect(page.getByTestId('dash-error-codes')).toContainText('card_declined_permanently');
  await expect(page.getByTestId('errors-per-hour')).toHaveAttribute('data-total', '3');
  await expect(page.getByTestId('dash-trials')).toBeVisible();
});
