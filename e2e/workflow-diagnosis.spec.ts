// An on-call engineer diagnoses workflows from Vigie's workflow page alone, in French and in
// Paris time: a failed saga's failure and failed activity, a running trial's call stack and
// pollers, and a history download that is the workflow's whole history.
import { expect, test } from '@playwright/test';
import { injectFault } from '../ports/faults';
import { createTemporalClient } from '../temporal/config';
import { signalFonctionnalitéActivée } from '../temporal/workflows/onboarding.contract';
import { makeStaff, makeTenant, makeTrial, signIn, testDb, uid } from '../test-support/factories';
import { failedSagaWithFailedRefund } from './support/finance';
import { expectOperatorZone } from './support/operator-zone';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

test('an on-call engineer reads a failed saga’s failure and its failed activity in the history', async ({ page, context }) => {
  const tenant = await makeTenant('CraftMarket');
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const saga = await failedSagaWithFailedRefund(tenant.id);
  await signIn(context, engineer, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows/${saga.workflowId}`);
  // The browser's zone is stored for the operator; every time is written in it, zone named.
  await expectOperatorZone(page, 'Europe/Paris');
  await expect(page.getByTestId('workflow-summary')).toContainText('Europe/Paris');
  await expect(page.getByTestId('workflow-status')).toHaveText('Failed');

  const failure = page.getByTestId('workflow-failure');
  await expect(failure).toContainText('SagaPaiementÉchouée');
  await expect(failure).toContainText(saga.commandeId);
  await failure.getByText('Stack trace').first().click();
  await expect(failure.locator('pre').first()).toBeVisible();
  await expect(page.getByTestId('workflow-input')).toContainText(saga.commandeId);

  const business = page.getByTestId('history-business');
  await expect(business).toContainText('activity débiterAcheteur completed');
  await expect(business.locator('li.failed').filter({ hasText: 'activity virerVendeur failed' })).toContainText('CompteVendeurInvalide');
  await expect(business.locator('li.failed').filter({ hasText: 'compensation rembourserAcheteur failed' })).toContainText('OpérationRefusée');
  await expect(business).toContainText('Europe/Paris');

  await page.getByRole('link', { name: 'All events' }).click();
  const events = page.getByTestId('history-events');
  const failed = events.getByRole('row').filter({ hasText: 'ActivityTaskFailed' }).first();
  await expect(failed).toContainText('virerVendeur');
  await failed.getByText('attributes').click();
  await expect(failed.locator('pre')).toContainText('CompteVendeurInvalide');

  // The download is the whole history, as many events as the summary counts.
  const historyLength = Number(await page.getByTestId('history-length').textContent());
  const download = await page.request.get(`/t/${tenant.id}/workflows/${saga.workflowId}/history.json`);
  expect(download.status()).toBe(200);
  const json = await download.json();
  expect(json.events).toHaveLength(historyLength);
  expect(json.events.at(-1).eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_FAILED');
});

test('an on-call engineer opens a running trial and sees its call stack, its sleep and the workers polling its queue', async ({ page, context }) => {
  const tenant = await makeTenant('DataSync');
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, engineer, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/workflows/${trial.workflowId}`);
  await expect(page.getByTestId('workflow-status')).toHaveText('Running');
  // The J+0 welcome email is an activity that may still be running when the page first loads.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('history-business')).toContainText('activity envoyerEmail (bienvenue-trial) completed', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('history-business')).toContainText(/timer \d+ started: sleeps/);

  await expect(page.getByTestId('call-stack')).toContainText('temporal/workflows/onboarding.ts');
  const pollers = page.getByTestId('pollers');
  await expect(pollers.getByRole('row').filter({ hasText: 'workflow tasks' }).first()).toContainText('Europe/Paris');
  await expect(pollers.getByRole('row').filter({ hasText: 'activity tasks' }).first()).toBeVisible();
  await expect(page.getByTestId('no-poller-warning')).toHaveCount(0);

  // The timeline draws the sleep until the next step, in Paris time, after the welcome email.
  await page.getByRole('link', { name: 'Timeline' }).click();
  const sleep = page.locator('[data-testid="timeline-span"][data-kind="timer"][data-outcome="waiting"]');
  await expect(sleep).toContainText(/sleeps until .*Europe\/Paris/);
  await expect(page.locator('[data-testid="timeline-span"][data-kind="activity"]').filter({ hasText: 'activity envoyerEmail (bienvenue-trial): completed' })).toBeVisible();
  // The queries panel asks the workflow itself and shows the answer as fields, not only JSON.
  await page.getByTestId('query-statutDetaillé').click();
  const answer = page.getByTestId('query-answer');
  await expect(answer.locator('dl.kv').first()).toContainText('prochaineÉtape');
  await expect(answer).toContainText('bienvenue-trial');
  await expect(answer).toContainText('Europe/Paris');
});

test('an on-call engineer pauses a failing activity and unpauses it, and Temporal says the same', async ({ page, context }) => {
  const tenant = await makeTenant('DataSync');
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  // The mail provider never answers for this user: the welcome email is retried for minutes.
  const trial = await makeTrial(tenant.id, undefined, { beforeStart: (user) => injectFault(testDb(), { operation: 'mail.send', mode: 'timeout', target: user.email }) });
  await signIn(context, engineer, tenant.id, baseURL);
  const client = await createTemporalClient();
  const paused = async () => (await client.workflow.getHandle(trial.workflowId).describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'envoyerEmail')?.paused;
  try {
    await page.goto(`/t/${tenant.id}/workflows/${trial.workflowId}`);
    const card = page.getByTestId('pending-activities').locator('article').filter({ hasText: 'envoyerEmail' });
    await expect(async () => {
      await page.reload();
      await expect(card.getByTestId('activity-last-failure')).toContainText('injected timeout', { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(card.getByTestId('activity-attempt')).toHaveText(/^\d+ \/ 10$/);
    await expect(card.getByTestId('activity-last-worker')).not.toHaveText('—');

    await card.getByRole('button', { name: 'Pause', exact: true }).click();
    await card.getByLabel('Reason').fill(`mail provider down ${uid()}`);
    await card.getByRole('button', { name: 'Confirm: Pause' }).click();
    await expect(card.getByRole('button', { name: 'Unpause', exact: true })).toBeVisible();
    await expect(card).toContainText('Paused');
    expect(await paused()).toBe(true);

    await card.getByRole('button', { name: 'Unpause', exact: true }).click();
    await card.getByLabel('Reason').fill('mail provider back');
    await card.getByRole('button', { name: 'Confirm: Unpause' }).click();
    await expect(card.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
    expect(await paused()).toBe(false);
  } finally {
    await client.workflow.getHandle(trial.workflowId).terminate('test done').catch(() => undefined);
    await client.connection.close();
  }
});

test('an on-call engineer resets a trial to the point after its welcome email, leaving out the later signal', async ({ page, context }) => {
  const tenant = await makeTenant('DataSync');
  const engineer = await makeStaff({ [tenant.id]: 'oncall' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, engineer, tenant.id, baseURL);
  const client = await createTemporalClient();
  try {
    const handle = client.workflow.getHandle(trial.workflowId);
    await page.goto(`/t/${tenant.id}/workflows/${trial.workflowId}`);
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('history-business')).toContainText('activity envoyerEmail (bienvenue-trial) completed', { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await handle.signal(signalFonctionnalitéActivée, { fonctionnalité: 'sync-hubspot' });
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('history-business')).toContainText('signal fonctionnalitéActivée received', { timeout: 1000 });
      await page.getByTestId('op-reset').getByRole('button', { name: 'Reset (retry)' }).click();
      await expect(page.getByLabel('Reset point').locator('option').first()).toContainText('after: signal fonctionnalitéActivée', { timeout: 1000 });
    }).toPass({ timeout: 30_000 });

    const point = page.getByLabel('Reset point').locator('option', { hasText: 'after: activity envoyerEmail (bienvenue-trial) completed' });
    const eventId = await point.getAttribute('value');
    await page.getByLabel('Reset point').selectOption(eventId!);
    await page.getByLabel('Do not reapply signals received after this point').check();
    await page.getByTestId('op-reset').getByLabel('Reason').fill('replay without the feature signal');
    await page.getByRole('button', { name: 'Confirm: Reset (retry)' }).click();
    await expect(page.getByTestId('op-reset').getByRole('status')).toHaveText(`Reset to event ${eventId}: a new run started (signals after the point not reapplied).`);

    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.workflowExecutionSignaledEventAttributes)).toHaveLength(0);
    await expect(page.getByTestId('history-business')).not.toContainText('signal fonctionnalitéActivée received');
  } finally {
    await client.workflow.getHandle(trial.workflowId).terminate('test done').catch(() => undefined);
    await client.connection.close();
  }
});
