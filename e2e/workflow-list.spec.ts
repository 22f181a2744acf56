// The on-call workflow list as an operator in Paris uses it: wall-clock filters read in the
// browser's zone, times shown in that zone, batch reset and the batch jobs page.
import { expect, test } from '@playwright/test';
import { instantToWallTime } from '../app/components/time';
import { createTemporalClient } from '../temporal/config';
import { makeStaff, makeTenant, makeTrial, signIn, testDb } from '../test-support/factories';
import { expectOperatorZone } from './support/operator-zone';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

async function startTimeOf(workflowId: string) {
  const client = await createTemporalClient();
  try {
    return (await client.workflow.getHandle(workflowId).describe()).startTime;
  } finally {
    await client.connection.close();
  }
}

test('a started-after time typed in Paris time lists exactly the workflows started after it', async ({ page, context }) => {
  const tenant = await makeTenant();
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const early = await makeTrial(tenant.id);
  // The cut: the first whole second after the early workflow started; the late ones start after it.
  const cut = new Date(Math.floor((await startTimeOf(early.workflowId)).getTime() / 1000) * 1000 + 1000);
  while (Date.now() < cut.getTime() + 300) await new Promise((r) => setTimeout(r, 100));
  const late = [await makeTrial(tenant.id), await makeTrial(tenant.id)];
  await signIn(context, engineer, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows`);
  // The browser's zone is stored for the operator, and the page says so.
  await expectOperatorZone(page, 'Europe/Paris');
  await expect(page.getByTestId('time-zone')).toContainText('Europe/Paris');
  const parisCut = instantToWallTime(cut, 'Europe/Paris');
  await page.getByLabel('Started after (Europe/Paris)').fill(parisCut);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('time-zone')).toContainText(`Started after ${parisCut.replace('T', ' ')} Europe/Paris (${cut.toISOString().slice(0, 19).replace('T', ' ')} UTC)`);

  const table = page.getByTestId('workflow-table');
  await expect(async () => {
    await page.reload();
    for (const t of late) await expect(table.getByRole('link', { name: t.workflowId })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(table.getByRole('link', { name: early.workflowId })).toHaveCount(0);
  await expect(table.locator('tbody tr')).toHaveCount(2);
  // Each start time is written in Paris time, zone named.
  const lateStart = await startTimeOf(late[0].workflowId);
  await expect(table.getByRole('row').filter({ hasText: late[0].workflowId })).toContainText(`${instantToWallTime(lateStart, 'Europe/Paris').replace('T', ' ')} Europe/Paris`);
});

test('an on-call engineer batch-resets two workflows and follows the job to its end on the jobs page', async ({ page, context }) => {
  const tenant = await makeTenant();
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const trials = [await makeTrial(tenant.id), await makeTrial(tenant.id)];
  const client = await createTemporalClient();
  // A reset goes back to a completed workflow task: wait until each trial has one.
  const runs = await Promise.all(trials.map(async (t) => {
    const h = client.workflow.getHandle(t.workflowId);
    await expect.poll(async () => (await h.describe()).historyLength, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    return (await h.describe()).runId;
  }));
  await signIn(context, engineer, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows`);
  await expectOperatorZone(page, 'Europe/Paris');
  const table = page.getByTestId('workflow-table');
  await expect(async () => {
    await page.reload();
    for (const t of trials) await expect(table.getByRole('link', { name: t.workflowId })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  for (const t of trials) await page.getByLabel(`Select ${t.workflowId}`).check();
  const dialog = page.getByTestId('batch-reset-selection');
  await dialog.getByRole('button', { name: 'Reset 2 selected' }).click();
  await dialog.getByLabel('Reset to').selectOption('last');
  await dialog.getByLabel('Reason').fill('replay after the hotfix');
  await dialog.getByRole('button', { name: 'Confirm: Reset 2 selected' }).click();
  await expect(dialog.getByRole('status')).toContainText(/Batch reset: 2 done, 0 failed of 2\.|Batch reset of 2 workflows started/);

  await page.getByRole('link', { name: 'Batch jobs' }).click();
  const job = page.getByTestId('batch-jobs').locator('tbody tr').first();
  await expect(job.getByTestId('job-state')).toHaveText('completed', { timeout: 30_000 });
  await expect(job.getByTestId('job-progress')).toContainText('2 done, 0 failed of 2');
  await expect(job).toContainText('reset');
  await expect(job).toContainText(`${engineer.email} via vigie`);
  await expect(job).toContainText('replay after the hotfix');
  await expect(job).toContainText('Europe/Paris');
  // Temporal agrees: each workflow runs a new run.
  for (const [i, t] of trials.entries()) expect((await client.workflow.getHandle(t.workflowId).describe()).runId).not.toBe(runs[i]);
  await client.connection.close();
});

test('search-attribute and advanced-query filters, a page size, and the CSV export of exactly the filter’s rows', async ({ page, context }) => {
  const tenant = await makeTenant();
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const trials = [await makeTrial(tenant.id), await makeTrial(tenant.id), await makeTrial(tenant.id)];
  await signIn(context, engineer, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows`);
  await expectOperatorZone(page, 'Europe/Paris');
  await page.getByLabel('Attribute 1').selectOption('OnboardingPhase');
  await page.getByLabel('Value 1').fill('inscription');
  await page.getByLabel(/Advanced query/).fill(`WorkflowId = '${trials[0].workflowId}' OR WorkflowId = '${trials[2].workflowId}'`);
  await page.getByLabel('Page size').selectOption('25');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/size=25/);
  const table = page.getByTestId('workflow-table');
  await expect(async () => {
    await page.reload();
    await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(table.getByRole('link', { name: trials[1].workflowId })).toHaveCount(0);

  // Columns: a search attribute shown, "Closed" hidden; the choice rides in the URL (and so in a saved view).
  const picker = page.getByTestId('column-picker');
  await picker.locator('summary').click();
  await picker.getByLabel('TrialDay', { exact: true }).check();
  await picker.getByLabel('Closed', { exact: true }).uncheck();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/cols=type%2Cstatus%2Cstage%2Cstarted%2Csa%3ATrialDay/);
  // The URL changes as the navigation starts; the table follows when the new data has arrived.
  await expect(table.locator('thead th')).toHaveText(['', 'Workflow id', 'Type', 'Status', 'Phase / saga', 'Started', 'TrialDay']);
  const headers = await table.locator('thead th').allTextContents();
  expect(headers).toContain('TrialDay');
  expect(headers).not.toContain('Closed');
  await expect(table.locator('tbody tr').first().locator('td').nth(headers.indexOf('TrialDay'))).toHaveText('0');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = (await (await download.createReadStream()).toArray()).join('');
  const ids = csv.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(',')[0]).sort();
  expect(ids).toEqual([trials[0].workflowId, trials[2].workflowId].sort());
  expect(csv).toContain('Europe/Paris');

  // A query that names the tenant attribute is refused with a 400 that says why.
  const refused = await page.goto(`/t/${tenant.id}/workflows?q=${encodeURIComponent("WorkflowType != '' OR TenantId = 'other'")}`);
  expect(refused?.status()).toBe(400);
  await expect(page.getByText(/cannot name TenantId/)).toBeVisible();
});

test('a view saved and shared by one engineer is opened by a teammate; another tenant’s staff cannot open it', async ({ page, context, browser }) => {
  const tenant = await makeTenant();
  const owner = await makeStaff({ [tenant.id]: 'oncall' });
  const mate = await makeStaff({ [tenant.id]: 'support' });
  const otherTenant = await makeTenant();
  const stranger = await makeStaff({ [otherTenant.id]: 'oncall' });
  const trials = [await makeTrial(tenant.id), await makeTrial(tenant.id)];
  await signIn(context, owner, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows`);
  await expectOperatorZone(page, 'Europe/Paris');
  await page.getByLabel(/Advanced query/).fill(`WorkflowId = '${trials[1].workflowId}'`);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=/);
  const save = page.getByTestId('save-view');
  await save.getByRole('button', { name: 'Save this view' }).click();
  await save.getByLabel('View name').fill('Second trial');
  await save.getByLabel('Share with the team').check();
  await save.getByRole('button', { name: 'Confirm: Save this view' }).click();
  await expect(save.getByRole('status')).toHaveText('View “Second trial” saved and shared with the team.');
  const link = page.getByTestId('saved-views').getByRole('link', { name: /Second trial/ });
  const viewId = new URL((await link.getAttribute('href'))!, baseURL).searchParams.get('sv')!;

  const mateContext = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', baseURL });
  await signIn(mateContext, mate, tenant.id, baseURL);
  const matePage = await mateContext.newPage();
  await matePage.goto(`/t/${tenant.id}/workflows`);
  await matePage.getByTestId('saved-views').getByRole('link', { name: /Second trial/ }).click();
  await expect(matePage.getByTestId('open-view')).toHaveText('Showing view “Second trial”');
  await expect(async () => {
    await matePage.reload();
    await expect(matePage.getByTestId('workflow-table').locator('tbody tr')).toHaveCount(1, { timeout: 1000 });
    await expect(matePage.getByTestId('workflow-table').getByRole('link', { name: trials[1].workflowId })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  // The teammate may open the view, not change it.
  await expect(matePage.getByTestId('update-view')).toHaveCount(0);
  await expect(matePage.getByTestId('delete-view')).toHaveCount(0);
  await mateContext.close();


  const strangerContext = await browser.newContext({ baseURL });
  await signIn(strangerContext, stranger, otherTenant.id, baseURL);
  const strangerPage = await strangerContext.newPage();
  expect((await strangerPage.goto(`/t/${otherTenant.id}/workflows?sv=${viewId}`))?.status()).toBe(404);
  expect((await strangerPage.goto(`/t/${tenant.id}/workflows?sv=${viewId}`))?.status()).toBe(404);
  await expect(strangerPage.getByTestId('saved-views')).toHaveCount(0);
  await strangerContext.close();

  // Its owner renames it and makes it private, then deletes it.
  await link.click();
  await expect(page.getByTestId('open-view')).toHaveText('Showing view “Second trial”');
  const update = page.getByTestId('update-view');
  await update.getByRole('button', { name: 'Update this view' }).click();
  await update.getByLabel('View name').fill('Second trial (mine)');
  await update.getByLabel('Share with the team').uncheck();
  await update.getByRole('button', { name: 'Confirm: Update this view' }).click();
  await expect(update.getByRole('status')).toHaveText('View “Second trial (mine)” updated, private.');
  await expect(page.getByTestId('open-view')).toHaveText('Showing view “Second trial (mine)”');
  const remove = page.getByTestId('delete-view');
  await remove.getByRole('button', { name: 'Delete this view' }).click();
  await remove.getByRole('button', { name: 'Confirm: Delete this view' }).click();
  await expect(page).not.toHaveURL(/sv=/);
  await expect(page.getByTestId('saved-views').getByRole('link', { name: /Second trial/ })).toHaveCount(0);
  expect(await testDb().savedView.count({ where: { id: viewId } })).toBe(0);
});

test('batch buttons count only the workflows they will act on: a closed one selected is named as left alone and not touched', async ({ page, context }) => {
  const tenant = await makeTenant();
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const [running, closed] = [await makeTrial(tenant.id), await makeTrial(tenant.id)];
  const client = await createTemporalClient();
  try {
    const closedHandle = client.workflow.getHandle(closed.workflowId);
    await closedHandle.terminate('closed before the batch');
    const closedEvents = (await closedHandle.fetchHistory()).events?.length;
    await signIn(context, engineer, tenant.id, baseURL);
    await page.goto(`/t/${tenant.id}/workflows`);
    const table = page.getByTestId('workflow-table');
    await expect(async () => {
      await page.reload();
      for (const t of [running, closed]) await expect(table.getByRole('link', { name: t.workflowId })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    // Over the filter: one running workflow of the two this tenant has.
    await expect(page.getByTestId('batch-terminate-filter').getByRole('button')).toHaveText('Terminate all 1 matching');
    for (const t of [running, closed]) await page.getByLabel(`Select ${t.workflowId}`).check();
    const dialog = page.getByTestId('batch-terminate-selection');
    await dialog.getByRole('button', { name: 'Terminate 1 selected' }).click();
    await expect(dialog).toContainText('Terminate 1 running workflow(s).');
    await expect(dialog).toContainText('1 other selected workflow(s) are left alone (closed).');
    await dialog.getByLabel('Reason').fill('stop the running one');
    await dialog.getByRole('button', { name: 'Confirm: Terminate 1 selected' }).click();
    await expect(dialog.getByRole('status')).toContainText(/Batch terminate: 1 done, 0 failed of 1\.|Batch terminate of 1 workflows started/);
    await expect.poll(async () => (await client.workflow.getHandle(running.workflowId).describe()).status.name, { timeout: 30_000 }).toBe('TERMINATED');
    // The closed one was not touched: its history is as it was.
    expect((await closedHandle.fetchHistory()).events?.length).toBe(closedEvents);
  } finally {
    await client.connection.close();
  }
});
