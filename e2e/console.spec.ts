import { expect, test } from '@playwright/test';
import { createTemporalClient } from '../temporal/config';
import { makeStaff, makeTenant, makeTrial, signIn, uid } from '../test-support/factories';
import { gotoHydrated } from './support/hydration';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

test('a support agent finds a trial user by email, reads the phase and activates a feature', async ({ page, context }) => {
  const tenant = await makeTenant();
  const agent = await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, agent, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/trials`);
  await page.getByLabel('Find a trial user').fill(trial.email.slice(0, 10).toUpperCase());
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('search-results').getByRole('link', { name: trial.name }).click();

  await expect(page.getByTestId('phase')).toHaveText('inscription');
  // The J+0 welcome email is an activity that may still be running when the page first loads.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('emails')).toContainText('bienvenue', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await page.getByTestId('signal-feature').getByRole('button', { name: 'fonctionnalitéActivée' }).click();
  await page.getByLabel('Feature').fill('sync-hubspot');
  await page.getByRole('button', { name: 'Confirm: fonctionnalitéActivée' }).click();
  await expect(page.getByTestId('signal-feature').getByRole('status')).toHaveText('Signal fonctionnalitéActivée sent.');
  await expect(page.getByTestId('phase')).toHaveText('activation');
  await expect(page.getByTestId('features')).toHaveText('sync-hubspot');
});

test('after moving from one trial to another without a reload, a signal goes to the trial on screen', async ({ page, context }) => {
  const tenant = await makeTenant();
  const agent = await makeStaff({ [tenant.id]: 'support' });
  const first = await makeTrial(tenant.id);
  const second = await makeTrial(tenant.id);
  await signIn(context, agent, tenant.id, baseURL);
  await gotoHydrated(page, `/t/${tenant.id}/trials/${encodeURIComponent(first.id)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.name);
  // The same route with other params: React keeps the page, and its dialogs, mounted.
  await page.evaluate((to) => (window as unknown as { __remixRouter: { navigate: (to: string) => Promise<void> } }).__remixRouter.navigate(to), `/t/${tenant.id}/trials/${encodeURIComponent(second.id)}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(second.name);
  await page.getByTestId('signal-feature').getByRole('button', { name: 'fonctionnalitéActivée' }).click();
  await page.getByLabel('Feature').fill('export-csv');
  await page.getByRole('button', { name: 'Confirm: fonctionnalitéActivée' }).click();
  await expect(page.getByTestId('signal-feature').getByRole('status')).toHaveText('Signal fonctionnalitéActivée sent.');
  await expect(page.getByTestId('features')).toHaveText('export-csv');
  // The trial left behind received nothing.
  const client = await createTemporalClient();
  try {
    const signals = async (workflowId: string) => ((await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    expect(await signals(second.workflowId)).toBe(1);
    expect(await signals(first.workflowId)).toBe(0);
  } finally {
    await client.connection.close();
  }
});

test('an on-call engineer terminates a workflow with a reason and finds it in the audit log', async ({ page, context }) => {
  const tenant = await makeTenant();
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, engineer, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows`);
  await page.getByTestId('workflow-table').getByRole('link', { name: trial.workflowId }).click();
  await expect(page.getByTestId('workflow-status')).toHaveText('Running');
  await page.getByTestId('op-terminate').getByRole('button', { name: 'Terminate' }).click();
  const reason = `stuck trial ${uid()}`;
  await page.getByLabel('Reason').fill(reason);
  await page.getByRole('button', { name: 'Confirm: Terminate' }).click();
  await expect(page.getByTestId('op-terminate').getByRole('status')).toHaveText('Workflow terminated.');
  await expect(page.getByTestId('workflow-status')).toHaveText('Terminated');

  await page.goto(`/t/${tenant.id}/audit`);
  const row = page.getByRole('row').filter({ hasText: trial.workflowId });
  await expect(row).toContainText('terminate');
  await expect(row).toContainText(reason);
  await expect(row).toContainText(engineer.email);
});

test('a finance user sees no signal or terminate buttons and gets 403 posting the forms directly', async ({ page, context }) => {
  const tenant = await makeTenant();
  const finance = await makeStaff({ [tenant.id]: 'finance' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, finance, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows/${trial.workflowId}`);
  await expect(page.getByTestId('workflow-status')).toHaveText('Running');
  await expect(page.getByTestId('no-operations')).toBeVisible();
  await expect(page.getByRole('button', { name: /Terminate|Cancel|Reset/ })).toHaveCount(0);
  const trialPage = await page.goto(`/t/${tenant.id}/trials/${trial.id}`);
  expect(trialPage?.status()).toBe(403);

  const headers = { Origin: baseURL };
  const terminate = await page.request.post(`/t/${tenant.id}/workflows/${trial.workflowId}/op`, {
    headers, form: { op: 'terminate', reason: 'finance should not', idempotencyKey: uid('key') },
  });
  expect(terminate.status()).toBe(403);
  const signal = await page.request.post(`/t/${tenant.id}/trials/${trial.id}/signal`, {
    headers, form: { signal: 'onboardingComplété', idempotencyKey: uid('key') },
  });
  expect(signal.status()).toBe(403);
  const client = await createTemporalClient();
  expect((await client.workflow.getHandle(trial.workflowId).describe()).status.name).toBe('RUNNING');
  await client.connection.close();
});

test('a user of one tenant gets 404 for another tenant’s workflow, trial and forms', async ({ page, context }) => {
  const mine = await makeTenant();
  const other = await makeTenant();
  const engineer = await makeStaff({ [mine.id]: 'oncall' });
  const theirs = await makeTrial(other.id);
  await signIn(context, engineer, mine.id, baseURL);

  // Under my tenant's URL: the workflow exists, but not for me.
  expect((await page.goto(`/t/${mine.id}/workflows/${theirs.workflowId}`))?.status()).toBe(404);
  expect((await page.goto(`/t/${mine.id}/trials/${theirs.id}`))?.status()).toBe(404);
  // Said in words, inside the console's layout (its top bar and search box stay).
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  // Under theirs: I'm not a member.
  expect((await page.goto(`/t/${other.id}/workflows/${theirs.workflowId}`))?.status()).toBe(404);
  const post = await page.request.post(`/t/${mine.id}/workflows/${theirs.workflowId}/op`, {
    headers: { Origin: baseURL }, form: { op: 'terminate', reason: 'cross-tenant', idempotencyKey: uid('key') },
  });
  expect(post.status()).toBe(404);
  // A malformed workflow id in the URL is a clean 404 too.
  expect((await page.goto(`/t/${mine.id}/workflows/${encodeURIComponent("x' OR '1'='1")}`))?.status()).toBe(404);
});

test('two identical signal posts in parallel deliver one signal', async ({ page, context }) => {
  const tenant = await makeTenant();
  const agent = await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, agent, tenant.id, baseURL);
  await page.goto(`/t/${tenant.id}/trials/${trial.id}`);

  const form = { signal: 'fonctionnalitéActivée', fonctionnalité: 'export-csv', idempotencyKey: `key-${uid()}-${uid()}` };
  const post = () => page.request.post(`/t/${tenant.id}/trials/${trial.id}/signal`, { headers: { Origin: baseURL }, form });
  const answers = await Promise.all([post(), post()]);
  expect(answers.map((a) => a.status())).toEqual([200, 200]);

  const client = await createTemporalClient();
  const history = await client.workflow.getHandle(trial.workflowId).fetchHistory();
  const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
  expect(signals).toHaveLength(1);
  await client.connection.close();
});

test('a cross-site form post is refused', async ({ page, context }) => {
  const tenant = await makeTenant();
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, engineer, tenant.id, baseURL);
  const res = await page.request.post(`/t/${tenant.id}/workflows/${trial.workflowId}/op`, {
    headers: { Origin: 'https://evil.example' }, form: { op: 'terminate', reason: 'csrf', idempotencyKey: uid('key') },
  });
  expect(res.status()).toBe(403);
  // No Origin and no Sec-Fetch-Site (a non-browser client riding a stolen cookie), a malformed
  // Origin, and an Origin of "null" are refused too, with a 403 rather than a 500.
  const hostile: Array<Record<string, string>> = [{}, { Origin: 'http://[::1' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }];
  for (const headers of hostile) {
    const refused = await page.request.post(`/t/${tenant.id}/workflows/${trial.workflowId}/op`, {
      headers, form: { op: 'terminate', reason: 'csrf', idempotencyKey: uid('key') },
    });
    expect(refused.status()).toBe(403);
  }
  // Nothing happened: the workflow still runs, with no terminate in its history.
  const client = await createTemporalClient();
  const handle = client.workflow.getHandle(trial.workflowId);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  expect((await handle.fetchHistory()).events?.some((e) => e.workflowExecutionTerminatedEventAttributes)).toBe(false);
  await client.connection.close();
  // The browser's own same-origin post (Sec-Fetch-Site, no Origin) is the console's: it passes the check.
  const same = await page.request.post(`/t/${tenant.id}/workflows/${trial.workflowId}/op`, {
    headers: { 'Sec-Fetch-Site': 'same-origin' }, form: { op: 'nonsense', idempotencyKey: uid('key') },
  });
  expect(same.status()).toBe(400);
});
