// A French-speaking operator (staff_users.language = 'fr') reads the live pages, the
// administration and the audit log in French: French headings and buttons, an admin action
// answered in French, and not one English word of the `live` and `admin` namespaces left on the
// page (wire names such as traitementPaiement or apikey:create stay as they are).
import { expect, test, type Page } from '@playwright/test';
import { admin as enAdmin } from '../app/i18n/locales/en/admin';
import { live as enLive } from '../app/i18n/locales/en/live';
import { admin as frAdmin } from '../app/i18n/locales/fr/admin';
import { live as frLive } from '../app/i18n/locales/fr/live';
import { makeStaff, makeTenant, signIn, testDb, uid } from '../test-support/factories';
import { ingestCheckout, makeApiKey } from './support/ingest';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

type Words = { readonly [k: string]: string | Words };

/**
 * The English words of a namespace that its French translation does not share: the fixed parts
 * of each English string (around {{values}} and <tags>), five characters or more.
 */
function englishOnly(en: Words, fr: Words): string[] {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(en)) {
    const other = fr[key];
    if (typeof value !== 'string') {
      for (const w of englishOnly(value, other as Words)) out.add(w);
      continue;
    }
    for (const part of value.split(/\{\{[^}]+\}\}|<[^>]+>/)) {
      const words = part.trim().replace(/^[(,.:;→←–—\s]+|[(),.:;→←–—\s]+$/g, '');
      if (words.length >= 5 && /\p{L}/u.test(words) && !String(other).includes(words)) out.add(words);
    }
  }
  return [...out];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wholeWord = (w: string) => new RegExp(`(^|[^\\p{L}_-])${escape(w)}($|[^\\p{L}_-])`, 'u');
const leaves = (words: Words): string[] => Object.values(words).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v)));
const FRENCH = [...leaves(frLive), ...leaves(frAdmin)];
// Words French uses too ("active", a key's status in both) are not evidence of English.
const ENGLISH = [...englishOnly(enLive, frLive), ...englishOnly(enAdmin, frAdmin)].filter((w) => !FRENCH.some((f) => wholeWord(w).test(f)));

/** The page's main content holds none of the English-only words (whole words, case kept). */
async function expectNoEnglish(page: Page) {
  const text = await page.locator('main').innerText();
  const left = ENGLISH.filter((w) => wholeWord(w).test(text));
  expect(left, `English words left on ${page.url()}`).toEqual([]);
}

test('a French operator reads checkouts, kanban errors, the dashboard, the administration and the audit log in French', async ({ page, context }) => {
  test.setTimeout(120_000);
  expect(ENGLISH.length).toBeGreaterThan(100);
  const tenant = await makeTenant('Boutique');
  const admin = await makeStaff({ [tenant.id]: 'admin' });
  await testDb().staffUser.update({ where: { id: admin.id }, data: { language: 'fr', name: 'Aline Martin' } });
  const key = await makeApiKey(tenant.id, 'boutique');
  const checkout = await ingestCheckout(baseURL, tenant.id, key.raw);
  await testDb().kanbanSaveError.create({
    data: {
      tenantId: tenant.id, eventId: uid('kb'), boardId: 'tableau-produit', cardId: 'c7', fromColumn: 'backlog', toColumn: 'revue',
      targetIndex: 1, originalIndex: 0, error: 'Erreur 503', kind: 'error', boardAfter: [{ id: 'backlog', titre: 'Backlog', cartes: [{ id: 'c7', titre: 'Carte 7' }] }], at: new Date(),
    },
  });
  await signIn(context, admin, tenant.id, baseURL);
  const base = `/t/${tenant.id}`;

  await page.goto(`${base}/checkouts`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Passages en caisse en direct');
  await expect(page.getByRole('button', { name: 'Appliquer' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Dernière activité' })).toBeVisible();
  await expect(page.getByTestId('live-status')).toHaveText('en direct');
  await expect(page.locator(`tr[data-row-id="${checkout.sessionId}"]`)).toContainText('il y a');
  await expectNoEnglish(page);

  await page.getByRole('link', { name: checkout.sessionId }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Passage en caisse');
  await expect(page.getByTestId('checkout-context')).toContainText('Adresse de livraison');
  await expect(page.getByTestId('checkout-context')).toContainText('× 1 à 89,90');
  await expectNoEnglish(page);
  const missing = await page.goto(`${base}/checkouts/${uid('absent')}`);
  expect(missing?.status()).toBe(404);
  await expect(page.locator('main')).toContainText('Aucune session de paiement');

  await page.goto(`${base}/kanban`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Erreurs d’enregistrement kanban');
  await expect(page.getByTestId('error-groups')).toContainText('erreur');
  await expect(page.getByRole('columnheader', { name: 'Colonne cible' })).toBeVisible();
  await expect(page.getByText('annulations (échec de l’enregistrement)')).toBeVisible();
  await expectNoEnglish(page);

  await page.goto(`${base}/dashboard`);
  await expect(page.getByRole('heading', { name: 'Passages en caisse par état' })).toBeVisible();
  await expect(page.getByTestId('dash-stuck')).toHaveText('0 bloqué(s)');
  await expect(page.getByRole('heading', { name: 'Erreurs d’enregistrement kanban par heure' })).toBeVisible();
  await expectNoEnglish(page);

  await page.goto(`${base}/admin`);
  await expect(page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Vue d’ensemble' })).toBeVisible();
  await expect(page.locator('main')).toContainText('1 membre actif');
  await expect(page.locator('main')).toContainText('1 clé active.');
  await expectNoEnglish(page);

  await page.goto(`${base}/admin/api-keys`);
  const name = `vitrine ${uid()}`;
  await page.getByRole('button', { name: 'Créer une clé d’API' }).click();
  await page.getByLabel('Nom').fill(name);
  await page.getByTestId('create-api-key').locator('button[type="submit"]').click();
  // The action's answer, written by the server in the operator's language.
  await expect(page.getByTestId('create-api-key').getByRole('status')).toHaveText(`Clé d’API « ${name} » créée. Copiez-la maintenant : elle n’est affichée qu’une fois.`);
  await expect(page.getByTestId('new-api-key-card')).toContainText('Copiez la clé');
  await expect(page.getByRole('columnheader', { name: 'Dernière utilisation' })).toBeVisible();
  await expectNoEnglish(page);

  await page.goto(`${base}/admin/staff`);
  await expect(page.getByRole('heading', { name: 'Membres' })).toBeVisible();
  await expect(page.getByTestId(`member-${admin.email}`)).toContainText('(vous)');
  await expect(page.getByTestId(`member-${admin.email}`)).toContainText('actif');
  await expect(page.getByRole('button', { name: 'Inviter un membre de l’équipe' })).toBeVisible();
  await expectNoEnglish(page);

  await page.goto(`${base}/audit`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Journal d’audit');
  await expect(page.getByRole('button', { name: 'Filtrer' })).toBeVisible();
  const row = page.getByTestId('audit-table').locator('tbody tr').filter({ hasText: 'apikey:create' });
  await expect(row).toContainText('réussi');
  await expectNoEnglish(page);
});
