// A French on-call engineer (staff_users.language = 'fr') reads the workflow list, a running
// trial's page and a failed saga's history in French: headings, buttons and the business
// history's sentences, the seed's wire names kept as they are, and no label of the `workflows`
// namespace left in English.
import { expect, test, type Page } from '@playwright/test';
import { workflows as en } from '../app/i18n/locales/en/workflows';
import { workflows as fr } from '../app/i18n/locales/fr/workflows';
import { makeStaff, makeTenant, makeTrial, signIn, testDb } from '../test-support/factories';
import { failedSagaWithFailedRefund } from './support/finance';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

// The browser says English: the page follows the operator's stored language, not the browser's.
test.use({ locale: 'en-US', timezoneId: 'Europe/Paris' });

type Tree = { [k: string]: string | Tree };
const leaves = (t: Tree): string[] => Object.values(t).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v)));
/** The fixed words of a translation: its text between placeholders and tags. */
const fragments = (s: string) => s.split(/\{\{[^}]+\}\}|<\/?\w+>/).map((f) => f.replace(/^[\s,.:;()·—]+|[\s,.:;()·—]+$/g, '')).filter((f) => f.length >= 5);
const frenchWords = new Set(leaves(fr).flatMap(fragments));
/** Every English fragment of the namespace that its French translation does not share. */
const english = [...new Set(leaves(en).flatMap(fragments))].filter((f) => !frenchWords.has(f));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The page's words outside code, values and JSON (a call stack or an input may well be English). */
async function englishLeftovers(page: Page) {
  const text = await page.evaluate(() => {
    const words: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!n.parentElement?.closest('pre, code, script, style, time')) words.push(n.textContent ?? '');
    // Labels that are not text nodes: accessible names and tooltips.
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) words.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '');
    return words.join('\n');
  });
  return english.filter((f) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(f)}($|[^\\p{L}\\p{N}])`, 'u').test(text));
}

test('a French on-call engineer reads the workflow list, a trial’s page and a failed saga’s history in French', async ({ page, context }) => {
  expect(english.length).toBeGreaterThan(100);
  const tenant = await makeTenant();
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  await testDb().staffUser.update({ where: { id: engineer.id }, data: { language: 'fr' } });
  const trial = await makeTrial(tenant.id);
  const saga = await failedSagaWithFailedRefund(tenant.id);
  await signIn(context, engineer, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows`);
  await expect(page.getByRole('button', { name: 'Appliquer' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Traitements par lot' })).toBeVisible();
  await expect(page.getByTestId('saved-views').getByRole('button', { name: 'Enregistrer cette vue' })).toBeVisible();
  await expect(page.getByLabel('Taille de page')).toBeVisible();
  const table = page.getByTestId('workflow-table');
  await expect(async () => {
    await page.reload();
    await expect(table.getByRole('link', { name: trial.workflowId })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(table.locator('thead th')).toHaveText(['', 'Id du workflow', 'Type', 'Statut', 'Phase / saga', 'Démarré', 'Clos']);
  await expect(table.getByRole('row').filter({ hasText: trial.workflowId })).toContainText('En cours');
  await expect(page.getByTestId('batch-terminate-filter').getByRole('button')).toHaveText(/^Terminer les \d+ correspondants$/);
  expect(await englishLeftovers(page)).toEqual([]);

  // A running trial: its page, its history in words around the seed's names, its queries.
  await table.getByRole('link', { name: trial.workflowId }).click();
  await expect(page.getByRole('heading', { name: 'Historique des événements' })).toBeVisible();
  await expect(page.getByTestId('workflow-status')).toHaveText('En cours');
  await expect(page.getByRole('heading', { name: 'Activités en attente' })).toBeVisible();
  await expect(page.getByTestId('op-terminate').getByRole('button', { name: 'Terminer' })).toBeVisible();
  await expect(page.getByTestId('op-reset').getByRole('button', { name: 'Réinitialiser (réessayer)' })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('history-business')).toContainText('activité envoyerEmail (bienvenue-trial) réussie', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('history-business')).toContainText(/minuteur \d+ démarré : attend/);
  await expect(page.getByTestId('pollers')).toContainText('tâches de workflow');
  await page.getByTestId('query-statutDetaillé').click();
  await expect(page.getByTestId('query-answer')).toContainText('prochaineÉtape');
  expect(await englishLeftovers(page)).toEqual([]);

  await page.getByRole('link', { name: 'Chronologie' }).click();
  await expect(page.locator('[data-testid="timeline-span"][data-kind="activity"]').filter({ hasText: 'activité envoyerEmail (bienvenue-trial) : réussi' })).toBeVisible();
  expect(await englishLeftovers(page)).toEqual([]);

  // A failed saga: the compensation's failure, named in the seed's terms inside a French sentence.
  await page.goto(`/t/${tenant.id}/workflows/${saga.workflowId}`);
  await expect(page.getByTestId('workflow-status')).toHaveText('En échec');
  await expect(page.getByTestId('workflow-failure').getByRole('heading', { name: 'Échec' })).toBeVisible();
  const business = page.getByTestId('history-business');
  await expect(business.locator('li.failed').filter({ hasText: 'compensation rembourserAcheteur en échec' })).toContainText('OpérationRefusée');
  await expect(business).toContainText('activité débiterAcheteur réussie');
  expect(await englishLeftovers(page)).toEqual([]);

  await page.goto(`/t/${tenant.id}/workflows/jobs`);
  await expect(page.getByRole('heading', { name: 'Traitements par lot' })).toBeVisible();
  expect(await englishLeftovers(page)).toEqual([]);
});
