// Every page of the console has something to show for the demo tenants. The e2e stack
// (scripts/test.ts) does not run `npm start`, so this spec seeds the demo itself through the
// same functions, at a small size and on a fast clock: DataSync's trials, CraftMarket's sagas
// and what finance did with them, a batch job, and a short run of the simulator for CartFlow's
// checkouts and TeamBoard's kanban save errors. Each page then fails on an empty table or chart.
import { expect, test, type Page } from '@playwright/test';
import { seedDemo } from '../scripts/lib/demo';
import { DEMO_STUCK_CHECKOUT } from '../scripts/lib/demo-checkouts';
import { settleDemoFinanceWhenEnded } from '../scripts/lib/demo-finance';
import { planDemoTrials, type DemoClock } from '../scripts/lib/demo-plan';
import { runSimulation, simulatorKeys } from '../scripts/lib/simulator';
import { loadTemporalEnv } from '../temporal/config';
import { signIn, testDb } from '../test-support/factories';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
const SIZES = { trials: 40, sagas: 20 };
// Racing trial days of 0.5 s to 10 min, spread geometrically: for the few minutes this spec runs,
// some trials have expired, some are in conversion and others on each early day.
const CLOCK: DemoClock = { fastestDayMs: 500, slowestDayMs: 600_000, stuckDayMs: 120_000, runningSagaStepMs: 4_000 };
const TRIALS = planDemoTrials(SIZES.trials, CLOCK);

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const databaseUrl = process.env.DATABASE_URL!;
  // The e2e database and Temporal server are not the demo's: seeding there takes --demo-anywhere.
  // Reset first, as `npm start -- --reset-demo` does: the unit tests' demo run may have left its
  // workflows being deleted in this namespace.
  await seedDemo({ databaseUrl, temporal: loadTemporalEnv() }, { ...SIZES, clock: CLOCK, anywhere: true, reset: true });
  const settled = await settleDemoFinanceWhenEnded(testDb(), { databaseUrl, sagas: SIZES.sagas, clock: CLOCK, timeoutMs: 90_000, everyMs: 500 });
  expect(settled.waiting).toBe(0);
  // Checkouts and save errors through the ingestion API, as the background simulator of npm start sends them.
  const keys = await simulatorKeys(testDb(), { stable: true });
  await expect(async () => {
    await runSimulation({ url: baseURL, checkoutKey: keys.checkout, kanbanKey: keys.kanban, shoppers: 4, boards: 3, durationMs: 8_000, speed: 0.2, faults: 0.4 });
    expect(await testDb().checkoutSession.count({ where: { tenantId: 'cartflow' } })).toBeGreaterThan(0);
    expect(await testDb().kanbanSaveError.count({ where: { tenantId: 'teamboard' } })).toBeGreaterThan(0);
  }).toPass({ timeout: 60_000 });
});

test.beforeEach(async ({ context }) => {
  // The demo admin is a member of all four demo tenants, with every permission.
  const admin = await testDb().staffUser.findUniqueOrThrow({ where: { email: 'admin@vigie.demo' } });
  await signIn(context, admin, 'datasync', baseURL);
});

async function expectRows(page: Page, testId: string, min = 1) {
  const rows = page.getByTestId(testId).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(min);
}

/** Opens a page and expects rows in one of its tables. */
async function openWithRows(page: Page, url: string, testId: string, min = 1) {
  await page.goto(url);
  await expectRows(page, testId, min);
}

async function expectChart(page: Page, testId: string) {
  await expect(page.getByTestId(testId).locator('svg.recharts-surface').first()).toBeVisible();
}

/** Counts whose figures are not all zero. */
async function expectSomeCount(page: Page, testId: string) {
  await expect(page.getByTestId(testId).locator('b').filter({ hasNotText: /^0$/ }).first()).toBeVisible();
}

/** The demo moves while it is looked at: reloads until the page shows what is expected. */
async function eventually(page: Page, url: string, check: () => Promise<void>) {
  await expect(async () => {
    await page.goto(url);
    await check();
  }).toPass({ timeout: 45_000 });
}

test('DataSync: trials over phases and days, paged and sorted, a failed email, the stuck view, a batch job, the audit log', async ({ page }) => {
  await page.goto('/t/datasync/dashboard');
  await expectSomeCount(page, 'dash-trials');

  await openWithRows(page, '/t/datasync/trials?size=25', 'trial-table', 25);
  await expect(page.getByRole('link', { name: 'Next page →' })).toBeVisible();
  for (const phase of ['inscription', 'activation', 'engagement', 'conversion', 'converti', 'expiré']) {
    await eventually(page, `/t/datasync/trials?phase=${encodeURIComponent(phase)}`, () => expectRows(page, 'trial-table'));
  }
  await eventually(page, '/t/datasync/trials?sort=day-desc', () => expectRows(page, 'trial-table'));
  await eventually(page, '/t/datasync/trials?day=1', () => expectRows(page, 'trial-table'));

  const failedEmail = TRIALS.find((t) => t.kind === 'failed-email')!;
  await eventually(page, `/t/datasync/trials/${failedEmail.userId}`, async () => {
    await expect(page.getByTestId('emails-failed')).toContainText('bienvenue-trial');
  });
  const racing = TRIALS.find((t) => t.kind === 'racing')!;
  await page.goto(`/t/datasync/trials/${racing.userId}`);
  await expect(page.getByTestId('demo-clock')).toContainText('accelerated demo clock');

  await openWithRows(page, '/t/datasync/workflows', 'workflow-table');
  await expectSomeCount(page, 'status-counts');
  await eventually(page, '/t/datasync/workflows?view=stuck', async () => {
    await expect(page.getByTestId('stuck').locator('tbody tr').filter({ hasText: 'envoyerEmail' }).first()).toBeVisible();
  });

  await openWithRows(page, '/t/datasync/workflows/jobs', 'batch-jobs');
  await openWithRows(page, '/t/datasync/audit', 'audit-table');
});

test('CraftMarket: payments with their charts, open and resolved incidents, every mismatch, the audit log', async ({ page }) => {
  await page.goto('/t/craftmarket/dashboard');
  await expectSomeCount(page, 'dash-sagas');

  await openWithRows(page, '/t/craftmarket/payments', 'saga-table', 20);
  await expectChart(page, 'chart-volume');
  await expectChart(page, 'chart-outcomes');

  for (const status of ['open', 'acknowledged', 'resolved']) {
    await openWithRows(page, `/t/craftmarket/incidents?status=${status}`, 'incident-table');
  }

  await openWithRows(page, '/t/craftmarket/reconciliation', 'mismatch-table', 7);
  await expect(page.getByTestId('mismatch-totals').locator('td.num').filter({ hasNotText: /^0$/ }).first()).toBeVisible();

  await openWithRows(page, '/t/craftmarket/workflows', 'workflow-table');
  await openWithRows(page, '/t/craftmarket/audit', 'audit-table');
});

test('CartFlow and TeamBoard: live checkouts and kanban save errors from the simulator, API keys, staff', async ({ page }) => {
  await openWithRows(page, '/t/cartflow/checkouts', 'checkout-table');
  await expect(page.getByTestId('state-counts')).toBeVisible();
  // The demo's stuck checkout, at the page's default threshold: a payment that never answered.
  await page.getByTestId('stuck-count').click();
  await expect(page.getByTestId('checkout-table').locator('tbody tr').filter({ hasText: DEMO_STUCK_CHECKOUT.sessionId }).getByTestId('stuck-flag')).toBeVisible();
  await page.goto('/t/cartflow/dashboard');
  await expectSomeCount(page, 'dash-checkouts');
  await expect(page.getByTestId('dash-stuck')).not.toHaveText(/^0 /);

  await openWithRows(page, '/t/teamboard/kanban', 'error-groups');
  await expectRows(page, 'recent-errors');
  await expect(page.getByTestId('errors-per-hour')).not.toHaveAttribute('data-total', '0');
  await expect(page.getByTestId('errors-per-hour').locator('svg.recharts-surface').first()).toBeVisible();
  await page.goto('/t/teamboard/dashboard');
  await expect(page.getByTestId('errors-per-hour')).not.toHaveAttribute('data-total', '0');

  for (const tenant of ['cartflow', 'teamboard']) {
    await openWithRows(page, `/t/${tenant}/admin/api-keys`, 'api-key-table');
    await openWithRows(page, `/t/${tenant}/admin/staff`, 'staff-table');
  }
});
