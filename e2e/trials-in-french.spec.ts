// A French-speaking support agent (staff_users.language = 'fr') reads the trials list and a trial's
// page in French, words from the trials namespace only, none left in English; a reset trial is one
// row of the list ("2 exécutions"), counted once; a signal's answer comes back in French; no
// page hydrates with a mismatch (the fixture fails the test on one).
import type { Page } from '@playwright/test';
import { expect, gotoHydrated, test } from './support/hydration';
import { trials as en } from '../app/i18n/locales/en/trials';
import { trials as fr } from '../app/i18n/locales/fr/trials';
import { createTemporalClient } from '../temporal/config';
import { makeStaff, makeTenant, makeTrial, signIn, testDb, uid } from '../test-support/factories';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

type Tree = { readonly [k: string]: string | Tree };
/** English words of the namespace that French writes differently: long enough to be told apart in a page's text. */
function englishOnly(a: Tree = en, b: Tree = fr): string[] {
  return Object.keys(a).flatMap((k) => {
    const x = a[k]!;
    const y = b[k]!;
    if (typeof x !== 'string') return englishOnly(x, y as Tree);
    if (x === y) return [];
    // Of an interpolated sentence, its longest literal piece.
    const piece = x.split(/\{\{[^}]*\}\}/).reduce((longest, p) => (p.trim().length > longest.length ? p.trim() : longest), '');
    return piece.length >= 6 ? [piece] : [];
  });
}

async function expectNoEnglish(page: Page) {
  const text = await page.locator('main').innerText();
  const left = englishOnly().filter((words) => text.includes(words));
  expect(left, 'English words of the trials namespace on a French page').toEqual([]);
}

test('a French operator reads the trials list and a trial page in French; a reset trial is one row', async ({ page, context }) => {
  const tenant = await makeTenant();
  const agent = await makeStaff({ [tenant.id]: 'support' });
  await testDb().staffUser.update({ where: { id: agent.id }, data: { language: 'fr' } });
  const trial = await makeTrial(tenant.id);
  const other = await makeTrial(tenant.id);

  // Reset the first trial once it completed a workflow task, as on-call would: two runs of one workflow id.
  const client = await createTemporalClient();
  try {
    // After the welcome email, so the trial's own start (its account) is older than the new run.
    await expect.poll(() => testDb().emailDelivery.count({ where: { workflowId: trial.workflowId, status: 'sent' } }), { timeout: 30_000 }).toBe(1);
    const events = (await client.workflow.getHandle(trial.workflowId).fetchHistory()).events ?? [];
    const firstTask = events.find((e) => e.workflowTaskCompletedEventAttributes)!.eventId!;
    const d = await client.workflow.getHandle(trial.workflowId).describe();
    await client.connection.workflowService.resetWorkflowExecution({
      namespace: client.options.namespace,
      workflowExecution: { workflowId: trial.workflowId, runId: d.runId },
      reason: 'e2e reset',
      workflowTaskFinishEventId: firstTask,
      requestId: uid('reset'),
    });
  } finally {
    await client.connection.close();
  }

  await signIn(context, agent, tenant.id, baseURL);
  // Visibility shows the new run within a moment.
  await expect(async () => {
    await gotoHydrated(page, `/t/${tenant.id}/trials`);
    await expect(page.getByTestId('trial-table').locator('tbody tr').filter({ hasText: trial.name }).getByTestId('trial-runs')).toHaveText(' · 2 exécutions', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Utilisateurs en essai');
  await expect(page.getByTestId('trial-count')).toHaveText('(2)');
  const rows = page.getByTestId('trial-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: other.name }).getByTestId('trial-runs')).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Jour d’essai' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Rechercher' })).toBeVisible();
  await expectNoEnglish(page);

  await page.getByLabel('Trouver un utilisateur en essai').fill(trial.email);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByTestId('search-results').getByRole('heading')).toHaveText(`Résultats pour « ${trial.email} »`);
  await page.getByTestId('search-results').getByRole('link', { name: trial.name }).click();

  await expect(page.getByRole('heading', { name: 'Plan sur 14 jours' })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(page.getByRole('heading', { name: 'Ce que l’utilisateur a reçu' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Signaux' })).toBeVisible();
  await expect(page.getByTestId('trial-status')).toContainText('Fonctionnalités activées');
  await expect(page.getByTestId('trial-status')).toContainText('après une réinitialisation');
  await expect(page.getByTestId('timeline').locator('li').nth(1)).toContainText('Guide de démarrage');
  await expectNoEnglish(page);

  // The action's answer, written by the server in the operator's language.
  const answer = await page.request.post(`/t/${tenant.id}/trials/${trial.id}/signal`, {
    headers: { Origin: baseURL, Accept: 'application/json' },
    form: { signal: 'fonctionnalitéActivée', fonctionnalité: 'export-csv', idempotencyKey: uid('key') },
  });
  expect(answer.status()).toBe(200);
  expect(await answer.json()).toMatchObject({ ok: true, result: { message: 'Signal fonctionnalitéActivée envoyé.' } });
  await gotoHydrated(page, page.url());
  // The nudges the workflow will now skip are said to be skipped, and why.
  await expect(page.getByTestId('timeline').locator('li').nth(2)).toContainText('(sauté — une fonctionnalité a été activée)');
  await expectNoEnglish(page);
});
