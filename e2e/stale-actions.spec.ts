// Stale-safe actions (issue 14): when the target changed while a dialog was open, the dialog
// says so, offers no Retry, and the page shows the target as it is now; nothing is sent.
import { expect, test } from '@playwright/test';
import { createTemporalClient } from '../temporal/config';
import { onboardingWorkflowId } from '../temporal/workflows/onboarding.contract';
import { makeStaff, makeTenant, makeTrial, signIn } from '../test-support/factories';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';

test('a signal dialog left open while another operator terminates the trial: told why, no Retry, the page reloaded, no signal sent', async ({ page, context }) => {
  const tenant = await makeTenant();
  const agent = await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id);
  await signIn(context, agent, tenant.id, baseURL);
  await page.goto(`/t/${tenant.id}/trials/${trial.id}`);
  await expect(page.getByTestId('phase')).toHaveText('inscription');

  const dialog = page.getByTestId('signal-feature');
  await dialog.getByRole('button', { name: 'fonctionnalitéActivée' }).click();
  await page.getByLabel('Feature').fill('export-csv');

  // Another operator terminates the workflow meanwhile (through Temporal, as the CLI would).
  const client = await createTemporalClient();
  const handle = client.workflow.getHandle(onboardingWorkflowId(trial.id));
  try {
    await handle.terminate('closed by another operator');
    const before = (await handle.fetchHistory()).events?.length;

    await page.getByRole('button', { name: 'Confirm: fonctionnalitéActivée' }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert).toContainText('nothing to do on a closed workflow');
    await expect(alert).toContainText('the page now shows its current state');
    await expect(alert).toHaveAttribute('data-failure', 'stale');
    await expect(dialog.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    // The page's data was reloaded: the outcome is shown and every signal button is disabled.
    await expect(page.getByTestId('outcome')).toContainText('terminated');
    for (const id of ['signal-feature', 'signal-subscription', 'signal-onboarding']) {
      await expect(page.getByTestId(id).getByRole('button').first()).toBeDisabled();
    }
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(alert).toHaveCount(0);
    // Nothing happened: the closed workflow's history is as it was.
    expect((await handle.fetchHistory()).events?.length).toBe(before);
    expect((await handle.fetchHistory()).events?.some((e) => e.workflowExecutionSignaledEventAttributes)).toBe(false);
  } finally {
    await client.connection.close();
  }
});
