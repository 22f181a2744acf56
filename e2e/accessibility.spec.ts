// Accessibility (issue 14, item 8): axe-core (@axe-core/playwright) on every page of the console —
// read from app/routes at run time (support/console-pages.ts), signed in as an admin on a tenant
// with something on each page, and signed out for the sign-in and invitation pages — at 1280×800
// (en-US, UTC) and at 390×844 (fr-FR, Europe/Paris, so the signed-out pages are in French), once
// each page has hydrated. The dialogs operators open most are checked open: an action dialog's
// confirmation, the tenant switcher, and at 390 px the menu. Any violation of impact serious or
// critical fails the test, listed with its rule, impact, target and a piece of its HTML.
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { makeTrial, signIn } from '../test-support/factories';
import { consoleWithData, type ConsoleWithData } from './support/console-pages';
import { expect, gotoHydrated, test } from './support/hydration';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

const RUNS = [
  { name: 'laptop', width: 1280, height: 800, locale: 'en-US', timezoneId: 'UTC' },
  { name: 'phone', width: 390, height: 844, locale: 'fr-FR', timezoneId: 'Europe/Paris' },
] as const;

const BLOCKING = new Set(['serious', 'critical']);

/** The serious and critical violations axe finds on the page as it is now, one line per element. */
async function seriousViolations(page: Page, where: string, testInfo: TestInfo): Promise<string[]> {
  // Charts (recharts) are drawn after hydration, once they have measured the page: checked drawn.
  // (.chart-box: components/charts.tsx; errors-per-hour: components/hourly-chart.tsx.)
  const undrawn = page.locator('.chart-box, [data-testid="errors-per-hour"]').filter({ hasNot: page.locator('.recharts-surface') });
  await expect.poll(() => undrawn.count(), { message: `${where}: charts drawn` }).toBe(0);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((v) => BLOCKING.has(v.impact ?? ''));
  if (blocking.length) await testInfo.attach(`axe: ${where}`, { body: JSON.stringify(blocking, null, 2), contentType: 'application/json' });
  return blocking.flatMap((v) =>
    v.nodes.map((n) => `${where}: [${v.impact}] ${v.id} at ${n.target.join(' ')} — ${n.html.replace(/\s+/g, ' ').slice(0, 160)}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)})` : ''}`),
  );
}

const report = (found: string[]) => `${found.length} serious/critical accessibility violation(s):\n${found.join('\n')}`;

let data: ConsoleWithData;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  data = await consoleWithData(baseURL, 'Accessibility');
  expect(data.pages.length).toBeGreaterThanOrEqual(15);
});

for (const run of RUNS) {
  test.describe(`at ${run.width}×${run.height} (${run.locale}, ${run.timezoneId})`, () => {
    test.use({ viewport: { width: run.width, height: run.height }, locale: run.locale, timezoneId: run.timezoneId });

    test('every signed-in page has no serious or critical axe violation', async ({ page, context }, testInfo) => {
      test.setTimeout(300_000);
      await signIn(context, data.admin, data.tenantId, baseURL);
      const found: string[] = [];
      const walked = [...data.pages, ...data.otherPages.filter((p) => p.route.startsWith('demo.'))];
      for (const { route, url } of walked) {
        const response = await gotoHydrated(page, url);
        expect.soft(response?.status(), `${route} (${url}) answered`).toBeLessThan(400);
        found.push(...(await seriousViolations(page, route, testInfo)));
      }
      expect(found, report(found)).toEqual([]);
    });

    test('the signed-out pages (sign-in, an invitation) have no serious or critical axe violation', async ({ page }, testInfo) => {
      const found: string[] = [];
      const signedOut = data.otherPages.filter((p) => !p.route.startsWith('demo.'));
      expect(signedOut.map((p) => p.route)).toEqual(expect.arrayContaining(['login', 'invite.$token']));
      for (const { route, url } of signedOut) {
        const response = await gotoHydrated(page, url);
        expect.soft(response?.status(), `${route} (${url}) answered`).toBeLessThan(400);
        found.push(...(await seriousViolations(page, route, testInfo)));
      }
      expect(found, report(found)).toEqual([]);
    });

    test('the dialogs, open (an action’s confirmation, the tenant switcher, the phone menu), have no serious or critical axe violation', async ({ page, context }, testInfo) => {
      test.setTimeout(120_000);
      await signIn(context, data.admin, data.tenantId, baseURL);
      const found: string[] = [];
      const nav = page.getByRole('navigation', { name: 'Main' });

      await gotoHydrated(page, `/t/${data.tenantId}/dashboard`);
      if (run.width < 1100) {
        const toggle = nav.getByRole('button', { name: 'Menu' });
        await toggle.click();
        await expect(toggle).toHaveAttribute('aria-expanded', 'true');
        await expect(nav.getByRole('link', { name: 'Payments' })).toBeVisible();
        found.push(...(await seriousViolations(page, 'the menu, open', testInfo)));
      }
      await nav.getByTestId('current-tenant').click();
      await expect(nav.getByRole('link', { name: /the other one/ })).toBeVisible();
      found.push(...(await seriousViolations(page, 'the tenant switcher, open', testInfo)));

      // A trial of its own: the confirmation is opened and cancelled, nothing is sent.
      const trial = await makeTrial(data.tenantId);
      await gotoHydrated(page, `/t/${data.tenantId}/trials/${trial.id}`);
      const dialog = page.getByTestId('signal-feature');
      await dialog.getByRole('button', { name: 'fonctionnalitéActivée' }).click();
      await expect(dialog.getByRole('form')).toBeVisible();
      found.push(...(await seriousViolations(page, 'an action dialog’s confirmation (trial signal)', testInfo)));
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog.getByRole('form')).toHaveCount(0);

      // A danger action with a required reason, on a workflow page.
      await gotoHydrated(page, `/t/${data.tenantId}/workflows/${encodeURIComponent(trial.workflowId)}`);
      const terminate = page.getByTestId('op-terminate');
      await terminate.getByRole('button', { name: 'Terminate' }).click();
      await expect(terminate.getByRole('form')).toBeVisible();
      found.push(...(await seriousViolations(page, 'an action dialog’s confirmation (terminate)', testInfo)));
      await terminate.getByRole('button', { name: 'Cancel' }).click();
      await expect(terminate.getByRole('form')).toHaveCount(0);

      expect(found, report(found)).toEqual([]);
    });
  });
}

test('the check fails on a page with a serious violation', async ({ page, context }, testInfo) => {
  // The check itself is tested: a button without a name and light grey text on white, added to a
  // real page, must both be reported.
  await signIn(context, data.admin, data.tenantId, baseURL);
  await gotoHydrated(page, `/t/${data.tenantId}/dashboard`);
  await page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body;
    main.insertAdjacentHTML('beforeend', '<button type="button" id="axe-unnamed"></button><p id="axe-faint" style="color:#ccc;background:#fff">Barely readable</p>');
  });
  const found = await seriousViolations(page, 'dashboard with two violations added', testInfo);
  expect(found.some((f) => f.includes('button-name') && f.includes('#axe-unnamed'))).toBe(true);
  expect(found.some((f) => f.includes('color-contrast') && f.includes('#axe-faint'))).toBe(true);
});
