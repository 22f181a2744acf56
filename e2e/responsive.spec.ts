// Every console page from a phone to a laptop (issue 14, item 8): each page a signed-in admin can
// open — read from app/routes at run time, so a new page is walked (or fails the walk until it
// is given its parameters in support/console-pages.ts) — is opened at 390×844 and 1280×800 on a tenant with real data
// (a trial, a failed payment saga with its failed refund and incident, a checkout session, an
// API key, an invitation, a second tenant in the switcher). Asserted: the page never scrolls
// sideways (document scrollWidth <= window width); wide tables scroll inside their card instead.
// A full-page screenshot of each page at each width is attached to the test's results.
// At 390 px the top bar is a menu button: it opens, shows the tenant switcher, and a link works.
// No page may log a React hydration warning or error meanwhile (support/hydration.ts).
import type { Page } from '@playwright/test';
import { expect, test } from './support/hydration';
import { signIn } from '../test-support/factories';
import { consoleWithData, type ConsolePage } from './support/console-pages';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
] as const;

test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

let pages: ConsolePage[] = [];
let admin: { id: string };
let tenantId: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ({ pages, admin, tenantId } = await consoleWithData(baseURL, 'Responsive'));
  expect(pages.length).toBeGreaterThanOrEqual(15);
});

test.beforeEach(async ({ context }) => {
  await signIn(context, admin, tenantId, baseURL);
});

const overflow = (page: Page) => page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));

for (const size of WIDTHS) {
  test(`no page scrolls sideways at ${size.width}×${size.height} (${size.name})`, async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: size.width, height: size.height });
    const results: string[] = [];
    for (const { route, url } of pages) {
      const response = await page.goto(url);
      expect(response?.status(), `${route} (${url}) answered`).toBeLessThan(400);
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
      const before = await overflow(page);
      const file = testInfo.outputPath(`${size.name}-${size.width}px-${route.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`${route} at ${size.width}px`, { path: file, contentType: 'image/png' });
      // Measured again after the screenshot: charts and client-only parts have rendered by then.
      const after = await overflow(page);
      const scrollWidth = Math.max(before.scrollWidth, after.scrollWidth);
      results.push(`${route}: scrollWidth ${scrollWidth} / ${after.innerWidth}`);
      expect.soft(scrollWidth, `${route} (${url}) at ${size.width}×${size.height}: the page is ${scrollWidth} px wide for a ${after.innerWidth} px window`).toBeLessThanOrEqual(after.innerWidth);
    }
    await testInfo.attach(`scroll widths at ${size.width}px`, { body: results.join('\n'), contentType: 'text/plain' });
  });
}

test('at 390 px the top bar is a menu button that opens the navigation, the tenant switcher and a working link', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/t/${tenantId}/dashboard`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const toggle = nav.getByRole('button', { name: 'Menu' });
  const link = nav.getByRole('link', { name: 'Payments' });
  await expect(toggle).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(link).toBeHidden();
  // The button acts once React has hydrated: clicked until it opens the menu.
  await expect(async () => {
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(link).toBeVisible();
  await expect(nav.getByTestId('current-tenant')).toBeVisible();
  await nav.getByTestId('current-tenant').click();
  await expect(nav.getByRole('link', { name: /the other one/ })).toBeVisible();
  expect((await overflow(page)).scrollWidth).toBeLessThanOrEqual(390);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenantId}/payments`));
  await expect(page.locator('h1').first()).toBeVisible();
  // Following a link closes the menu.
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(link).toBeHidden();
});

test('at 1280 px the top bar is one row without a menu button', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/t/${tenantId}/dashboard`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('button', { name: 'Menu' })).toBeHidden();
  await expect(nav.getByRole('link', { name: 'Payments' })).toBeVisible();
  // The links sit on one row, each on one line.
  const first = await nav.getByRole('link', { name: 'Dashboard' }).boundingBox();
  const last = await nav.getByRole('link', { name: 'Admin' }).boundingBox();
  const kanban = await nav.getByRole('link', { name: 'Kanban errors' }).boundingBox();
  expect(Math.abs(first!.y - last!.y)).toBeLessThan(2);
  expect(kanban!.height).toBeLessThanOrEqual(first!.height + 1);
});

test('a thin progress bar shows while a page loads, and "Loading…" is announced', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/t/${tenantId}/dashboard`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  // The next page's data is held until the bar has been seen.
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route((url) => url.pathname === `/t/${tenantId}/audit` && url.searchParams.has('_data'), async (route) => {
    await held;
    await route.continue();
  });
  const bar = page.getByRole('progressbar', { name: 'Loading' });
  await expect(bar).toHaveCount(0);
  // A click before hydration is a full page load, without the bar: clicked again until it shows.
  await expect(async () => {
    if (!page.url().endsWith('/dashboard')) await page.goto(`/t/${tenantId}/dashboard`);
    await nav.getByRole('link', { name: 'Audit log' }).click();
    await expect(bar).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText('Loading…')).toBeAttached();
  release();
  await expect(page).toHaveURL(new RegExp(`/t/${tenantId}/audit`));
  await expect(bar).toHaveCount(0);
  await expect(page.getByText('Loading…')).toHaveCount(0);
});
