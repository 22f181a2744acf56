// Time and locale done once (issue 14, item 3): an operator's browser sends its zone once, it is
// stored (with its audit row), and from then on the server writes every date of every page in it,
// zone named, and the browser hydrates the very same text. Walked in two browsers — a French
// operator (fr-FR, Europe/Paris) and an English one (en-US, UTC) — over every page of
// app/routes (support/console-pages.ts): any React hydration warning or error fails the walk
// (support/hydration.ts), and a known instant is shown in the operator's zone, in the server's
// HTML already. The French operator then changes zone and language on the Preferences page.
import { expect as baseExpect, type Browser } from '@playwright/test';
import { makeOrder, makeStaff, signIn, testDb } from '../test-support/factories';
import { consoleWithData, type ConsoleWithData } from './support/console-pages';
import { collectConsoleProblems, expect, gotoHydrated, isHydrationProblem, test, type ConsoleProblem } from './support/hydration';
import { expectOperatorZone } from './support/operator-zone';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
/** A winter instant: Paris is UTC+1, New York UTC−5. */
const KNOWN_INSTANT = new Date('2026-01-15T12:34:56Z');

const OPERATORS = [
  { who: 'a French operator', locale: 'fr-FR', timezoneId: 'Europe/Paris', shown: '2026-01-15 13:34:56 Europe/Paris' },
  { who: 'an English operator', locale: 'en-US', timezoneId: 'UTC', shown: '2026-01-15 12:34:56 UTC' },
] as const;

let data: ConsoleWithData;
let orderId: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  data = await consoleWithData(baseURL, 'Hydration');
  // An order started at a known instant: its page's "Started" is what each operator must read.
  ({ orderId } = await makeOrder(data.tenantId, { at: KNOWN_INSTANT }));
});

const zoneAuditRows = (actorId: string, action: string) => testDb().auditLog.count({ where: { tenantId: data.tenantId, actorId, action } });

/** The problems reported since `from`, hydration ones and uncaught errors, each named with the page. */
function problemsOf(problems: ConsoleProblem[], from: number, route: string) {
  return problems.slice(from).filter((p) => isHydrationProblem(p) || p.source === 'pageerror').map((p) => `${route}: ${p.text.split('\n')[0]}`);
}

/** The pages outside a tenant, signed out (sign-in, an invitation) in a browser like the operator's. */
async function walkSignedOut(browser: Browser, settings: { locale: string; timezoneId: string }) {
  const context = await browser.newContext({ ...settings, baseURL });
  const page = await context.newPage();
  const problems = collectConsoleProblems(page);
  const found: string[] = [];
  for (const { route, url } of data.otherPages.filter((p) => !p.route.startsWith('demo.'))) {
    const from = problems.length;
    const response = await gotoHydrated(page, url);
    baseExpect.soft(response?.status(), `${route} (${url}) answered`).toBeLessThan(400);
    found.push(...problemsOf(problems, from, route));
  }
  await context.close();
  return found;
}

for (const op of OPERATORS) {
  test.describe(`${op.who} (${op.locale}, ${op.timezoneId})`, () => {
    test.use({ locale: op.locale, timezoneId: op.timezoneId });
    let operator: { id: string; email: string };

    test.beforeAll(async () => {
      operator = await makeStaff({ [data.tenantId]: 'admin' });
    });
    test.beforeEach(async ({ context }) => {
      await signIn(context, operator, data.tenantId, baseURL);
    });

    test('the browser’s zone is sent once, stored with one audit row, and every page is then written in it', async ({ page }) => {
      expect((await testDb().staffUser.findUniqueOrThrow({ where: { id: operator.id } })).timeZone).toBeNull();
      await gotoHydrated(page, `/t/${data.tenantId}/dashboard`);
      await expectOperatorZone(page, op.timezoneId);
      // The browser posts its zone after hydration; with UTC the page already reads as it will.
      await expect.poll(async () => (await testDb().staffUser.findUniqueOrThrow({ where: { id: operator.id } })).timeZone).toBe(op.timezoneId);
      // Other pages, a reload: nothing is sent again.
      await gotoHydrated(page, `/t/${data.tenantId}/audit`);
      await expectOperatorZone(page, op.timezoneId);
      await page.reload();
      await expect(page.locator('html[data-hydrated]')).toBeAttached();
      expect(await zoneAuditRows(operator.id, 'preferences:browser-time-zone')).toBe(1);
      // The audit page lists that row, its time in the operator's zone.
      await expect(page.getByText('preferences:browser-time-zone').first()).toBeVisible();
      await expect(page.locator('main')).toContainText(op.timezoneId === 'UTC' ? ' UTC' : ` ${op.timezoneId}`);
    });

    test('every page hydrates without a warning or an error, and a known instant is shown in the operator’s zone, zone named', async ({ page, consoleProblems, browser }) => {
      test.setTimeout(300_000);
      const found: string[] = [];
      await gotoHydrated(page, `/t/${data.tenantId}/dashboard`);
      await expectOperatorZone(page, op.timezoneId);
      const walked = [...data.pages, ...data.otherPages.filter((p) => p.route.startsWith('demo.')), { route: 'a payment saga started at a known instant', url: `/t/${data.tenantId}/payments/${orderId}` }];
      for (const { route, url } of walked) {
        const from = consoleProblems.length;
        const response = await gotoHydrated(page, url);
        baseExpect.soft(response?.status(), `${route} (${url}) answered`).toBeLessThan(400);
        found.push(...problemsOf(consoleProblems, from, route));
      }
      found.push(...(await walkSignedOut(browser, op)));
      expect(found, `hydration problems or uncaught errors on ${walked.length + data.otherPages.length} pages`).toEqual([]);

      // The page last opened: the known instant, in the operator's zone with the zone named…
      await expect(page.getByText(op.shown).first()).toBeVisible();
      // …in the server's HTML already, before any script ran.
      const html = await (await page.request.get(`/t/${data.tenantId}/payments/${orderId}`)).text();
      expect(html).toContain(op.shown);
    });
  });
}

test.describe('the French operator’s Preferences page', () => {
  test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

  test('changes zone and language, audited once; every date follows, and the page says <html lang="fr">', async ({ page, context }) => {
    const operator = await makeStaff({ [data.tenantId]: 'finance' });
    await testDb().staffUser.update({ where: { id: operator.id }, data: { timeZone: 'Europe/Paris' } });
    await signIn(context, operator, data.tenantId, baseURL);
    await gotoHydrated(page, `/t/${data.tenantId}/payments/${orderId}`);
    await expect(page.getByText('2026-01-15 13:34:56 Europe/Paris').first()).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    await page.getByTestId('preferences-link').click();
    await expect(page.getByRole('heading', { name: 'Preferences' })).toBeVisible();
    await page.getByTestId('time-zone').selectOption('America/New_York');
    await page.getByTestId('language').selectOption('fr');
    await page.getByRole('button', { name: 'Save' }).click();
    // Saved in French already: the answer is written after the language changed.
    await expect(page.getByRole('status').filter({ hasText: 'Enregistré.' })).toBeVisible();
    await expectOperatorZone(page, 'America/New_York');
    // The page's own words follow at once (the root data reloads; the browser's i18next switches).
    await expect(page.getByTestId('topbar').getByRole('link', { name: 'Tableau de bord' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    expect(await testDb().staffUser.findUniqueOrThrow({ where: { id: operator.id }, select: { timeZone: true, language: true } })).toEqual({ timeZone: 'America/New_York', language: 'fr' });
    expect(await zoneAuditRows(operator.id, 'preferences:update')).toBe(1);

    await gotoHydrated(page, `/t/${data.tenantId}/payments/${orderId}`);
    await expect(page.getByText('2026-01-15 07:34:56 America/New_York').first()).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  });
});

test('the hydration check catches a page whose server HTML differs from the browser’s render', async ({ browser }) => {
  // The check itself is tested: the server's HTML of a page is altered on its way to the browser,
  // as a server/browser difference in a date would, and the page must report it.
  const operator = await makeStaff({ [data.tenantId]: 'finance' });
  await testDb().staffUser.update({ where: { id: operator.id }, data: { timeZone: 'Europe/Paris' } });
  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', baseURL });
  await signIn(context, operator, data.tenantId, baseURL);
  const page = await context.newPage();
  const problems = collectConsoleProblems(page);
  const url = `/t/${data.tenantId}/payments/${orderId}`;
  await page.route((u) => u.pathname === url && !u.searchParams.has('_data'), async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('2026-01-15 13:34:56 Europe/Paris', '2026-01-15 12:34:56 UTC');
    await route.fulfill({ response, body });
  });
  await gotoHydrated(page, url);
  await expect.poll(() => problems.filter(isHydrationProblem).length, { timeout: 10_000 }).toBeGreaterThan(0);
  await context.close();
});
