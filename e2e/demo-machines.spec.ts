import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { makeStaff, makeTenant, signIn, testDb } from '../test-support/factories';
import { waitForDemoPage } from './support/ingest';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

async function demoTenant(context: BrowserContext) {
  const tenant = await makeTenant('Demo');
  const staff = await makeStaff({ [tenant.id]: 'support' });
  await signIn(context, staff, tenant.id, baseURL);
  return tenant;
}

async function toPayment(page: Page) {
  await page.getByRole('button', { name: 'Ajouter Table en chêne massif' }).click();
  await page.getByRole('button', { name: 'Aller à la livraison' }).click();
  await page.getByRole('button', { name: 'Confirmer la livraison' }).click();
  await expect(page.getByTestId('demo-state')).toHaveText('paiement');
}

test.describe('demo checkout runs the real checkout machine', () => {
  test('completes a checkout and reports it to the tenant', async ({ page, context }) => {
    const tenant = await demoTenant(context);
    await page.goto(`/demo/${tenant.id}/checkout`);
    await waitForDemoPage(page);
    // Long enough for the assertion on the disabled button to see traitementPaiement on a busy machine.
    await page.getByTestId('payment-delay').fill('2000');
    await toPayment(page);
    await page.getByRole('button', { name: 'Confirmer la commande' }).click();
    // The machine disables the button itself while the payment runs.
    await expect(page.getByRole('button', { name: 'Paiement en cours…' })).toBeDisabled();
    await expect(page.getByTestId('demo-state')).toHaveText('confirmation');
    await expect(page.getByTestId('order-ref')).toHaveText(/^CMD-[0-9A-F]{8}$/);
    await expect(page.locator('[data-testid="demo-statechart"] [data-state-id="checkout.confirmation"]')).toHaveAttribute('data-active', 'true');

    const sessionId = await page.getByTestId('session-id').textContent();
    await expect.poll(async () => (await testDb().checkoutSession.findFirst({ where: { tenantId: tenant.id, sessionId: sessionId! } }))?.state).toBe('confirmation');
    const states = (await testDb().checkoutTransition.findMany({ where: { tenantId: tenant.id, sessionId: sessionId! }, orderBy: { id: 'asc' } })).map((t) => t.state);
    expect(states).toEqual(['panier', 'livraison', 'validationLivraison', 'paiement', 'traitementPaiement', 'confirmation']);
    // The demo address is personal data: it stays in the browser.
    const stored = JSON.stringify(await testDb().checkoutSession.findFirst({ where: { tenantId: tenant.id } }));
    expect(stored).not.toContain('Martin');
    expect(stored).not.toContain('Lilas');
  });

  test('three failed payments end in erreurPaiement with no retry left', async ({ page, context }) => {
    const tenant = await demoTenant(context);
    await page.goto(`/demo/${tenant.id}/checkout`);
    await waitForDemoPage(page);
    await page.getByTestId('payment-delay').fill('0');
    await page.getByTestId('payment-fault').selectOption('processing_error');
    await toPayment(page);
    const retry = page.getByRole('button', { name: 'Réessayer le paiement' });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await page.getByRole('button', { name: 'Confirmer la commande' }).click();
      await expect(page.getByTestId('attempts')).toHaveText(String(attempt));
      await expect(page.getByTestId('payment-error')).toHaveText('processing_error');
      if (attempt < 3) {
        await expect(retry).toBeEnabled();
        await retry.click();
        await expect(page.getByTestId('demo-state')).toHaveText('paiement');
      }
    }
    await expect(page.getByTestId('demo-state')).toHaveText('erreurPaiement');
    await expect(retry).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Autre moyen de paiement' })).toBeDisabled();
    await expect(page.getByTestId('payment-blocked')).toBeVisible();

    const sessionId = (await page.getByTestId('session-id').textContent())!;
    await expect
      .poll(async () => {
        const s = await testDb().checkoutSession.findFirst({ where: { tenantId: tenant.id, sessionId } });
        return s && [s.state, s.paymentAttempts, s.lastErrorCode];
      })
      .toEqual(['erreurPaiement', 3, 'processing_error']);
  });

  test('a permanent decline cannot be retried at once', async ({ page, context }) => {
    const tenant = await demoTenant(context);
    await page.goto(`/demo/${tenant.id}/checkout`);
    await waitForDemoPage(page);
    await page.getByTestId('payment-delay').fill('0');
    await page.getByTestId('payment-fault').selectOption('fraud_blocked');
    await toPayment(page);
    await page.getByRole('button', { name: 'Confirmer la commande' }).click();
    await expect(page.getByTestId('payment-error')).toHaveText('fraud_blocked');
    await expect(page.getByRole('button', { name: 'Réessayer le paiement' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Autre moyen de paiement' })).toBeEnabled();
  });
});

test.describe('demo board runs the real kanban machine', () => {
  const cardsOf = (page: Page, column: string) => page.getByTestId(`column-${column}`).locator('[data-card-id]');

  test('a full column refuses the drop; a good move stays; a failed or hung save rolls back and is reported; an applied one whose answer was lost stays', async ({ page, context }) => {
    const tenant = await demoTenant(context);
    await page.goto(`/demo/${tenant.id}/board`);
    await waitForDemoPage(page);
    await expect(cardsOf(page, 'doing')).toHaveCount(2);

    await page.getByTestId('carte-1').dragTo(page.getByTestId('column-doing'));
    await expect(page.getByTestId('demo-state')).toHaveText('repos');
    await expect(cardsOf(page, 'doing')).toHaveText(['Tâche 5', 'Tâche 6']);
    await expect(cardsOf(page, 'todo')).toHaveText(['Tâche 1', 'Tâche 2', 'Tâche 3', 'Tâche 4']);

    await page.getByTestId('carte-4').dragTo(page.getByTestId('column-done'));
    await expect(cardsOf(page, 'done')).toHaveText(['Tâche 4']);
    await expect(page.getByTestId('demo-state')).toHaveText('repos');

    await page.getByTestId('save-fault').selectOption('error');
    await page.getByTestId('carte-2').dragTo(page.getByTestId('column-review'));
    await expect(page.getByTestId('save-error')).toContainText('Erreur 500');
    await expect(cardsOf(page, 'todo')).toHaveText(['Tâche 1', 'Tâche 2', 'Tâche 3']);
    await expect(cardsOf(page, 'review')).toHaveText(['Tâche 7']);
    await expect(page.getByTestId('demo-state')).toHaveText('repos', { timeout: 10_000 });

    await page.getByTestId('save-fault').selectOption('hang');
    await page.getByTestId('carte-3').dragTo(page.getByTestId('column-review'));
    await expect(page.getByTestId('demo-state')).toHaveText('sauvegarde');
    await expect(page.getByTestId('save-error')).toContainText('Délai de sauvegarde dépassé');
    await expect(cardsOf(page, 'todo')).toHaveText(['Tâche 1', 'Tâche 2', 'Tâche 3']);

    // Applied by the server but its answer lost: after the timeout the board re-reads the card and keeps the move.
    await expect(page.getByTestId('demo-state')).toHaveText('repos', { timeout: 10_000 });
    await page.getByTestId('save-fault').selectOption('lost_answer');
    await page.getByTestId('carte-1').dragTo(page.getByTestId('column-done'));
    await expect(page.getByTestId('demo-state')).toHaveText('sauvegarde');
    await expect(page.getByTestId('demo-state')).toHaveText('repos', { timeout: 10_000 });
    await expect(cardsOf(page, 'todo')).toHaveText(['Tâche 2', 'Tâche 3']);
    await expect(page.getByTestId('column-done').getByTestId('carte-1')).toBeVisible();

    await expect
      .poll(async () => (await testDb().kanbanSaveError.findMany({ where: { tenantId: tenant.id }, orderBy: { id: 'asc' } })).map((e) => [e.kind, e.cardId, e.fromColumn, e.toColumn, e.originalIndex]))
      .toEqual([
        ['error', 'carte-2', 'todo', 'review', 1],
        ['timeout', 'carte-3', 'todo', 'review', 2],
      ]);
  });
});
