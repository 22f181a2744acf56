import { expect, test } from '@playwright/test';
import { createTemporalClient } from '../temporal/config';
import { TenantId } from '../temporal/search-attributes';
import { ONBOARDING_WORKFLOW_TYPE } from '../temporal/workflows/onboarding.contract';
import { makeStaff, makeTenant, uid } from '../test-support/factories';

test('a staff member signs in through the form and sees only their tenant’s workflows', async ({ page }) => {
  const mine = await makeTenant('Mine');
  const other = await makeTenant('Other');
  const staff = await makeStaff({ [mine.id]: 'oncall' });
  const client = await createTemporalClient();
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'vigie';
  const input = (tenantId: string, userId: string) => ({
    tenantId, utilisateurId: userId, email: `${userId}@example.test`, prénom: 'Test', planEssaiId: 'trial-14j',
  });
  const mineId = uid('onboarding-e2e');
  const otherId = uid('onboarding-e2e');
  await client.workflow.start(ONBOARDING_WORKFLOW_TYPE, { taskQueue, workflowId: mineId, args: [input(mine.id, mineId)], typedSearchAttributes: [{ key: TenantId, value: mine.id }] });
  await client.workflow.start(ONBOARDING_WORKFLOW_TYPE, { taskQueue, workflowId: otherId, args: [input(other.id, otherId)], typedSearchAttributes: [{ key: TenantId, value: other.id }] });

  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(staff.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');

  await page.getByLabel('Password').fill(staff.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${mine.id}/workflows$`));
  await expect(page.getByTestId('workflow-table')).toContainText(mineId);
  await expect(page.getByTestId('workflow-table')).toContainText(ONBOARDING_WORKFLOW_TYPE);
  await expect(page.getByTestId('workflow-table')).not.toContainText(otherId);

  // Another tenant's console is a 404, not a hint that it exists.
  const res = await page.goto(`/t/${other.id}`);
  expect(res?.status()).toBe(404);

  for (const id of [mineId, otherId]) await client.workflow.getHandle(id).terminate('e2e cleanup');
  await client.connection.close();
});

test('/healthz reports PostgreSQL and Temporal', async ({ request }) => {
  const res = await request.get('/healthz');
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ ok: true, postgres: { ok: true }, temporal: { ok: true } });
});
