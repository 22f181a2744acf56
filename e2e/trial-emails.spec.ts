// Support in French settings reads a trial whose welcome email the provider refused: it is shown
// as failed, with the provider's reason and the attempts, never as sent or skipped.
import { expect, test } from '@playwright/test';
import { injectFault } from '../ports/faults';
import { makeStaff, makeTenant, makeTrial, signIn, testDb } from '../test-support/factories';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

test('a trial whose welcome email was refused shows it as failed, with the reason', async ({ page, context }) => {
  const tenant = await makeTenant();
  const agent = await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id, undefined, {
    beforeStart: (user) => injectFault(testDb(), { operation: 'mail.send', mode: 'reject', target: user.email }),
  });
  await signIn(context, agent, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/trials/${trial.id}`);
  // The J+0 email activity may still be running when the page first loads.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('emails-failed')).toContainText('bienvenue', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const failed = page.getByTestId('emails-failed');
  await expect(failed).toContainText('not delivered');
  await expect(failed).toContainText(/1 attempt\b/);
  await expect(page.getByTestId('emails')).not.toContainText('bienvenue');
  await expect(page.getByTestId('timeline').locator('li').first()).toHaveClass(/failed/);
  await expect(page.getByTestId('timeline').locator('li').first()).toContainText('(failed)');
  // What the page says is what the email activity recorded.
  const delivery = await testDb().emailDelivery.findFirstOrThrow({ where: { workflowId: trial.workflowId } });
  expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
  await expect(failed).toContainText(delivery.error!.slice(0, 40));
});
