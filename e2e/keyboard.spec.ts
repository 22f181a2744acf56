// Keyboard use of the action dialogs (issue 14): Enter opens, focus moves into the form, Esc
// cancels and gives focus back to the button; nothing is sent by a cancelled dialog.
import { expect, test } from '@playwright/test';
import { createTemporalClient } from '../temporal/config';
import { onboardingWorkflowId } from '../temporal/workflows/onboarding.contract';
import { makeStaff, makeTenant, makeTrial, signIn } from '../test-support/factories';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

test('a signal dialog works from the keyboard: Enter opens it on its first field, Esc cancels it, focus returns, nothing sent', async ({ page, context }) => {
  const tenant = await makeTenant();
  const agent = await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, agent, tenant.id, baseURL);
  await page.goto(`/t/${tenant.id}/trials/${trial.id}`);
  const client = await createTemporalClient();
  try {
    const handle = client.workflow.getHandle(onboardingWorkflowId(trial.id));
    const dialog = page.getByTestId('signal-feature');
    const opener = dialog.getByRole('button', { name: 'fonctionnalitéActivée' });
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Feature')).toBeFocused();
    await page.keyboard.type('export-csv');
    await page.keyboard.press('Escape');
    await expect(dialog.getByRole('form')).toHaveCount(0);
    await expect(opener).toBeFocused();
    // Opened again from the keyboard; the cancelled one sent nothing, Enter in the field sends once.
    await page.keyboard.press('Enter');
    await page.keyboard.type('export-csv');
    await expect(dialog.getByRole('button', { name: 'Confirm: fonctionnalitéActivée' })).toBeVisible();
    const signalsBefore = (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    expect(signalsBefore).toBe(0);
    await page.keyboard.press('Enter'); // submits the form from its field
    await expect(dialog.getByRole('status')).toHaveText('Signal fonctionnalitéActivée sent.');
    await expect.poll(async () => (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionSignaledEventAttributes).length).toBe(1);
  } finally {
    await client.connection.close();
  }
});
