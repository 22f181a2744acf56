// Support in French settings reads a trial whose welcome email the provider refused: it is shown
// as failed, with the provider's reason and the attempts, never as sent or skipped, and opening it
// shows no body. A sent welcome email opens to what the user received: its subject and body as
// the local mailer recorded them, its time in the browser's zone (docs/decisions/080).
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { injectFault } from '../ports/faults';
import { makeStaff, makeTenant, makeTrial, signIn, testDb } from '../test-support/factories';
import { expectOperatorZone } from './support/operator-zone';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });

/** A support agent of a new tenant on the page of a new trial user (`beforeStart`: e.g. arm a mail fault). */
async function supportOnTrialPage(page: Page, context: BrowserContext, beforeStart?: (user: { email: string }) => Promise<unknown>) {
  const tenant = await makeTenant();
  const agent = await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id, undefined, { beforeStart });
  await signIn(context, agent, tenant.id, baseURL);
  await page.goto(`/t/${tenant.id}/trials/${trial.id}`);
  return trial;
}

test('a trial whose welcome email was refused shows it as failed, with the reason', async ({ page, context }) => {
  const trial = await supportOnTrialPage(page, context, (user) => injectFault(testDb(), { operation: 'mail.send', mode: 'reject', target: user.email }));
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
  // Opened, it says why and shows nothing the user would have received.
  await expectOperatorZone(page, 'Europe/Paris');
  const welcome = page.getByTestId('email-bienvenue-trial');
  await welcome.locator('summary').click();
  await expect(welcome.getByTestId('email-not-delivered')).toContainText(delivery.error!.slice(0, 40));
  await expect(welcome.getByTestId('email-not-delivered')).toContainText('Not delivered');
  await expect(welcome.getByTestId('email-body')).toHaveCount(0);
});

test('a sent welcome email opens to its subject and body, as the user received them', async ({ page, context }) => {
  const trial = await supportOnTrialPage(page, context);
  const welcome = page.getByTestId('email-bienvenue-trial');
  // The J+0 email activity may still be running when the page first loads; the subject shows once it was sent.
  await expect(async () => {
    await page.reload();
    await expect(welcome.locator('summary')).toContainText('Bienvenue dans votre essai', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  // The browser's zone was sent once and stored; times are written in it.
  await expectOperatorZone(page, 'Europe/Paris');

  await welcome.locator('summary').click();
  const delivery = await testDb().emailDelivery.findFirstOrThrow({ where: { workflowId: trial.workflowId, template: 'bienvenue-trial' } });
  const message = await testDb().localMailMessage.findUniqueOrThrow({ where: { id: delivery.providerMessageId! } });
  await expect(welcome.getByTestId('email-subject')).toHaveText(message.subject);
  await expect(welcome.getByTestId('email-body')).toBeVisible();
  await expect(welcome.getByTestId('email-body')).toContainText("Votre essai de 14 jours commence aujourd'hui.");
  expect(message.body).toContain("Votre essai de 14 jours commence aujourd'hui.");
  await expect(welcome).toContainText(trial.email);
  await expect(welcome).toContainText('Europe/Paris');
});
