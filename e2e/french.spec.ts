// French and English UI (issue 14, item 4; "Done when": switching the language to French shows
// every page in French). An operator of each role switches to French on the Preferences page
// (through the UI, then stored), and every console page (support/console-pages.ts, read from
// app/routes) is walked with its action dialogs opened and its <details> unfolded: its visible
// text, titles, placeholders and aria-labels must hold no word of the English-only list, which is
// built from the console's own resources (support/english-words.ts), so a new namespace or page
// is covered as it lands. Each page's leftovers are printed and attached as a report.
import { makeStaff, signIn, testDb } from '../test-support/factories';
import type { Role } from '../app/server/permissions';
import { consoleWithData, type ConsoleWithData } from './support/console-pages';
import { englishOnlyWords, englishWordsIn } from './support/english-words';
import { expect, gotoHydrated, test } from './support/hydration';
import type { Page } from '@playwright/test';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
const ROLES: Role[] = ['support', 'finance', 'oncall', 'admin'];
/** Action dialogs opened per page: each is only opened and cancelled (Esc), nothing is sent. */
const DIALOGS_PER_PAGE = 4;

test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

let data: ConsoleWithData;
/** Names the test data carries (tenants, staff, trial users): data, not the console's words. */
let dataWords: string[];
const WORDS = englishOnlyWords();

test.beforeAll(async () => {
  test.setTimeout(180_000);
  data = await consoleWithData(baseURL, 'Français');
});

/** The names the test's data carries so far (tenants, staff, trial users). */
async function loadDataWords() {
  const tenantIds = (await testDb().membership.findMany({ where: { userId: data.admin.id }, select: { tenantId: true } })).map((m) => m.tenantId);
  const [tenants, staff, trials] = await Promise.all([
    testDb().tenant.findMany({ where: { id: { in: tenantIds } }, select: { name: true } }),
    testDb().staffUser.findMany({ where: { memberships: { some: { tenantId: { in: tenantIds } } } }, select: { name: true } }),
    testDb().trialUser.findMany({ where: { tenantId: { in: tenantIds } }, select: { name: true } }),
  ]);
  dataWords = [...tenants, ...staff, ...trials].map((r) => r.name);
}

/** Everything a person reads or hears on the page: text, and the words of titles, placeholders and labels. */
async function wordsOnPage(page: Page): Promise<string> {
  return page.evaluate(() => {
    // What is data, not the console's words, is left out: code (ids, wire names, JSON) and what
    // the page marks translate="no" (text written by outside systems: a provider's or a
    // workflow's failure message, a stored reason), as HTML asks a translator to leave it.
    const raw = [...document.querySelectorAll<HTMLElement>('code, pre, [translate="no"]')];
    const displays = raw.map((el) => el.style.display);
    raw.forEach((el) => { el.style.display = 'none'; });
    // A select's options count in its text whatever their display: emptied, then put back.
    const options = raw.filter((el): el is HTMLOptionElement => el instanceof HTMLOptionElement);
    const labels = options.map((o) => o.text);
    options.forEach((o) => { o.text = ''; });
    const attributes = [...document.querySelectorAll('[title], [placeholder], [aria-label], [alt], input[type=submit][value]')]
      .filter((el) => !el.closest('code, pre, [translate="no"]'))
      .flatMap((el) => ['title', 'placeholder', 'aria-label', 'alt', ...(el.matches('input[type=submit]') ? ['value'] : [])].map((a) => el.getAttribute(a) ?? ''));
    const text = [document.title, document.body.innerText, ...attributes].join('\n');
    raw.forEach((el, i) => { el.style.display = displays[i]; });
    options.forEach((o, i) => { o.text = labels[i]; });
    return text;
  });
}

/** The English words on the page as it is, then with each of its first action dialogs opened in turn. */
/** Where each word left was last seen (40 characters around it), for the report. */
const seenIn = new Map<string, string>();
function remember(text: string, words: string[]) {
  for (const w of words) {
    const at = text.toLowerCase().search(new RegExp(`(?<!\\p{L})${w}(?!\\p{L})`, 'u'));
    if (at >= 0) seenIn.set(w, text.slice(Math.max(0, at - 40), at + w.length + 40).replace(/\s+/g, ' '));
  }
}

async function englishOn(page: Page): Promise<string[]> {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const onPage = await wordsOnPage(page);
  const found = new Set(englishWordsIn(onPage, WORDS, dataWords));
  remember(onPage, [...found]);
  const count = Math.min(await page.locator('.action[data-state="idle"] > button:enabled').count(), DIALOGS_PER_PAGE);
  for (let i = 0; i < count; i++) {
    // The i-th visible opener's dialog, marked so it can be found again once it is open.
    const marked = await page.evaluate((n) => {
      const opener = [...document.querySelectorAll<HTMLElement>('.action[data-state="idle"] > button:enabled')].filter((b) => b.offsetParent !== null)[n];
      if (opener?.parentElement) opener.parentElement.dataset.frenchWalk = String(n);
      return Boolean(opener);
    }, i);
    if (!marked) break;
    const action = page.locator(`.action[data-french-walk="${i}"]`);
    await action.locator('> button').click();
    await expect(action).toHaveAttribute('data-state', 'confirming');
    const inDialog = await wordsOnPage(page);
    const left = englishWordsIn(inDialog, WORDS, dataWords);
    remember(inDialog, left);
    for (const w of left) found.add(w);
    await page.keyboard.press('Escape');
    await expect(action).not.toHaveAttribute('data-state', 'confirming');
  }
  return [...found].sort();
}

function report(role: string, byPage: Record<string, string[]>) {
  const left = Object.entries(byPage).filter(([, words]) => words.length);
  const lines = left.map(([route, words]) => `  ${route}: ${words.map((w) => `${w} («${seenIn.get(w) ?? '?'}»)`).join(', ')}`);
  console.log(`[french] ${role}: ${left.length} of ${Object.keys(byPage).length} pages with English words left${lines.length ? `\n${lines.join('\n')}` : ''}`);
  return lines.join('\n');
}

test('the English-only list is built from every namespace and holds the console’s common words', () => {
  for (const w of ['cancel', 'retry', 'confirm', 'search', 'sign', 'previous', 'next', 'loading', 'saved', 'payments', 'trial']) expect(WORDS.has(w), w).toBe(true);
  // Words French text uses too, and names, are not on it.
  for (const w of ['workflows', 'temporal', 'vigie', 'page', 'menu']) expect(WORDS.has(w), w).toBe(false);
  // The check itself: an English sentence is caught, its French translation and data are not.
  expect(englishWordsIn('Confirm: Cancel workflow', WORDS)).toEqual(['cancel', 'confirm']);
  expect(englishWordsIn('Confirmer : Annuler · statutDetaillé · read:trial · staff-1@test.vigie', WORDS)).toEqual([]);
  // A stand-in's fault message and a kebab-case id are data; the sentence around them is not.
  expect(englishWordsIn('rembourserAcheteur en échec : refund: refused by the provider (injected) · (bienvenue-trial)', WORDS)).toEqual([]);
  expect(englishWordsIn('Refund failed: refund: refused by the provider (injected)', WORDS)).toEqual(['failed', 'refund']);
});

test('signed out in a French browser: the sign-in page and an invitation are in French, <html lang="fr">', async ({ page }) => {
  await loadDataWords();
  await gotoHydrated(page, '/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { name: 'Connexion à Vigie' })).toBeVisible();
  await expect(page.getByLabel('E-mail')).toBeVisible();
  await expect(page.getByLabel('Mot de passe')).toBeVisible();
  expect(await englishOn(page)).toEqual([]);
  // A wrong password is answered in French too.
  await page.getByLabel('E-mail').fill(data.admin.email);
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('E-mail ou mot de passe incorrect.');

  const invitation = data.otherPages.find((p) => p.route.startsWith('invite.'))!;
  await gotoHydrated(page, invitation.url);
  await expect(page.getByRole('heading')).toContainText('Rejoindre');
  expect(await englishOn(page)).toEqual([]);
});

for (const role of ROLES) {
  test(`${role}: after switching to French on the Preferences page, every console page is in French`, async ({ page, context }, testInfo) => {
    test.setTimeout(420_000);
    const operator = await makeStaff({ [data.tenantId]: role });
    await testDb().staffUser.update({ where: { id: operator.id }, data: { timeZone: 'Europe/Paris' } });
    await signIn(context, operator, data.tenantId, baseURL);
    await loadDataWords();

    // Through the UI: the Preferences page, in English until saved.
    await gotoHydrated(page, `/t/${data.tenantId}/preferences`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByTestId('language').selectOption('fr');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Enregistré.' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Préférences' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    // Stored: it follows the operator to every page from now on.
    expect((await testDb().staffUser.findUniqueOrThrow({ where: { id: operator.id } })).language).toBe('fr');

    const byPage: Record<string, string[]> = {};
    const topBar: Record<string, string[]> = {};
    for (const { route, url } of data.pages) {
      // Names other tests of the run add meanwhile (a staff member in the audit log) are data too.
      await loadDataWords();
      await gotoHydrated(page, url);
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
      // The top bar is on every page: its words are checked on their own.
      topBar[route] = englishWordsIn(await page.getByTestId('topbar').evaluate((el) => [
        (el as HTMLElement).innerText,
        ...[...el.querySelectorAll('[title], [placeholder], [aria-label]')].flatMap((e) => ['title', 'placeholder', 'aria-label'].map((a) => e.getAttribute(a) ?? '')),
      ].join('\n')), WORDS, dataWords);
      byPage[route] = await englishOn(page);
    }
    const text = report(role, byPage);
    await testInfo.attach(`english words left (${role})`, { body: text || 'none', contentType: 'text/plain' });
    expect(Object.fromEntries(Object.entries(topBar).filter(([, w]) => w.length)), 'English words in the top bar').toEqual({});
    expect(Object.fromEntries(Object.entries(byPage).filter(([, w]) => w.length)), `pages with English words left for ${role}`).toEqual({});
  });
}
