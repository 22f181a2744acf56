// Every console page from a phone to a laptop (issue 14, item 8): each page a signed-in admin can
// open — read from app/routes at run time, so a new page is walked (or fails the walk until it
// is given its parameters below) — is opened at 390×844 and 1280×800 on a tenant with real data
// (a trial, a failed payment saga with its failed refund and incident, a checkout session, an
// API key, an invitation, a second tenant in the switcher). Asserted: the page never scrolls
// sideways (document scrollWidth <= window width); wide tables scroll inside their card instead.
// A full-page screenshot of each page at each width is attached to the test's results.
// At 390 px the top bar is a menu button: it opens, shows the tenant switcher, and a link works.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeStaff, makeTenant, makeTrial, signIn, testDb, uid } from '../test-support/factories';
import { failedSagaWithFailedRefund } from './support/finance';
import { checkoutEvent, makeApiKey } from './support/ingest';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
const ROUTES_DIR = path.join(process.cwd(), 'app/routes');
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
] as const;

test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

/**
 * The tenant pages: route modules under t.$tenantId with a default export (a UI), leaving out
 * layouts (a .tsx route nested under them) — e.g. t.$tenantId.admin.tsx is the admin layout.
 */
function tenantPageRoutes(): string[] {
  const ids = readdirSync(ROUTES_DIR).filter((f) => f.endsWith('.tsx')).map((f) => f.replace(/\.tsx$/, ''));
  return ids
    .filter((id) => id.startsWith('t.$tenantId.'))
    .filter((id) => /export\s+default\s/.test(readFileSync(path.join(ROUTES_DIR, `${id}.tsx`), 'utf8')))
    .filter((id) => !ids.some((other) => other.startsWith(`${id}.`)))
    .sort();
}

/** A route id as a URL, its $parameters taken from `params`; undefined when one is missing. */
function urlOf(id: string, params: Record<string, string>): string | undefined {
  const parts = id.split('.').filter((p) => p !== '_index').map((p) => (p.startsWith('$') ? params[p.slice(1)] : p));
  if (parts.some((p) => p === undefined)) return undefined;
  return `/${parts.map((p) => encodeURIComponent(p!)).join('/')}`;
}

let pages: Array<{ route: string; url: string }> = [];
let admin: { id: string };
let tenantId: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const tenant = await makeTenant('Responsive');
  const other = await makeTenant('Responsive, the other one with a rather long name');
  tenantId = tenant.id;
  const staff = await makeStaff({ [tenant.id]: 'admin', [other.id]: 'support' });
  admin = staff;
  await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id);
  const saga = await failedSagaWithFailedRefund(tenant.id);
  const incident = await testDb().financeIncident.findFirstOrThrow({ where: { tenantId: tenant.id, orderId: saga.commandeId } });
  const apiKey = await makeApiKey(tenant.id, 'responsive walk');
  await testDb().staffInvitation.create({
    data: { tenantId: tenant.id, email: `${uid('invitee')}@test.vigie`, role: 'support', tokenHash: createHash('sha256').update(randomBytes(32)).digest('hex'), invitedBy: staff.id, expiresAt: new Date(Date.now() + 7 * 86_400_000) },
  });
  const checkout = checkoutEvent();
  const ingested = await fetch(new URL('/api/v1/checkout-events', baseURL), {
    method: 'POST', headers: { Authorization: `Bearer ${apiKey.raw}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ events: [checkout] }),
  });
  expect(ingested.status).toBe(202);
  await expect.poll(async () => testDb().checkoutSession.count({ where: { tenantId: tenant.id, sessionId: checkout.sessionId } }), { timeout: 10_000 }).toBe(1);

  const params: Record<string, string> = {
    tenantId: tenant.id,
    userId: trial.id,
    workflowId: trial.workflowId,
    commandeId: saga.commandeId,
    incidentId: incident.id,
    sessionId: checkout.sessionId,
  };
  const routes = tenantPageRoutes();
  const unmapped = routes.filter((r) => urlOf(r, params) === undefined);
  expect(unmapped, 'tenant pages whose parameters this spec does not know: add them to `params`').toEqual([]);
  pages = routes.map((route) => ({ route, url: urlOf(route, params)! }));
  // The pages of the failed saga's workflow too (a workflow page with a failure, not only a trial's).
  pages.push({ route: 't.$tenantId.workflows.$workflowId (failed saga)', url: `/t/${tenant.id}/workflows/${encodeURIComponent(saga.workflowId)}` });
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
