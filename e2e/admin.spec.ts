import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { makeStaff, makeTenant, signIn, testDb, uid } from '../test-support/factories';

const baseURL = () => process.env.BASE_URL ?? 'http://localhost:3000';

test('an admin creates an API key, sees it once, revokes it, and finds both in the audit log and its CSV', async ({ page, context }) => {
  const tenant = await makeTenant('Admin');
  const admin = await makeStaff({ [tenant.id]: 'admin' });
  await signIn(context, admin, tenant.id, baseURL());

  await page.goto(`/t/${tenant.id}/admin`);
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.id}/admin/api-keys$`));

  const name = `storefront ${uid()}`;
  await page.getByRole('button', { name: 'Create API key' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Confirm: Create API key' }).click();
  const shown = page.getByTestId('new-api-key');
  await expect(shown).toHaveValue(new RegExp(`^vk_${tenant.id}_[A-Za-z0-9_-]{43}$`));
  const rawKey = await shown.inputValue();

  // Stored as its hash only, under the prefix the table shows.
  const stored = await testDb().apiKey.findFirstOrThrow({ where: { tenantId: tenant.id, name } });
  expect(stored.keyHash).toBe(createHash('sha256').update(rawKey).digest('hex'));
  const row = page.getByTestId(`api-key-${stored.id}`);
  await expect(row).toContainText(name);
  await expect(row).toContainText(stored.prefix);
  await expect(row).toContainText('active');

  await page.reload();
  await expect(page.getByTestId('api-key-table')).toContainText(name);
  await expect(page.getByTestId('new-api-key')).toHaveCount(0);
  expect(await page.content()).not.toContain(rawKey.slice(-43));

  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByLabel('Reason').fill('rotating after the e2e test');
  await row.getByRole('button', { name: 'Confirm: Revoke' }).click();
  await expect(row).toContainText(/revoked \d{4}-\d{2}-\d{2}/);
  expect((await testDb().apiKey.findUniqueOrThrow({ where: { id: stored.id } })).revokedAt).not.toBeNull();

  await page.getByRole('link', { name: 'Audit log' }).click();
  const audit = page.getByTestId('audit-table');
  await expect(audit).toContainText('apikey:create');
  await expect(audit).toContainText('apikey:revoke');
  await expect(audit).toContainText('rotating after the e2e test');
  await expect(audit).toContainText(stored.id);

  await page.getByLabel('Action').fill('apikey:create');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=apikey%3Acreate/);
  await expect(audit).not.toContainText('apikey:revoke');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-csv').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^audit-${tenant.id}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv).toContain('apikey:create');
  expect(csv).toContain(stored.id);
  expect(csv).toContain(admin.email);
  expect(csv).not.toContain('apikey:revoke');
  expect(csv).not.toContain(rawKey.slice(-43));

  // A malformed filter is a clear 400, on the page and on the export.
  const bad = await page.goto(`/t/${tenant.id}/audit?from=2026-13-01`);
  expect(bad?.status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Filter “from”: expected a date as YYYY-MM-DD');
  const badCsv = await page.request.get(`/t/${tenant.id}/audit.csv?from=2026-13-01`);
  expect(badCsv.status()).toBe(400);
  expect(await badCsv.text()).toContain('expected a date as YYYY-MM-DD');
});

test('a support agent cannot open the admin pages nor post to their actions', async ({ page, context }) => {
  const tenant = await makeTenant('Locked');
  const agent = await makeStaff({ [tenant.id]: 'support' });
  await signIn(context, agent, tenant.id, baseURL());

  for (const path of ['admin', 'admin/api-keys', 'admin/staff']) {
    const res = await page.goto(`/t/${tenant.id}/${path}`);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByRole('alert')).toContainText('Your role (support) cannot administer this tenant');
  }
  // The refusal keeps the console's top bar, which offers no Admin link to this role.
  await expect(page.getByTestId('current-tenant')).toContainText('support');
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  // Same-origin posts, so the refusal is the role's, not the cross-site check's.
  const created = await page.request.post(`/t/${tenant.id}/admin/api-keys/create`, {
    headers: { Origin: baseURL() },
    form: { idempotencyKey: `e2e-${uid()}-${uid()}`, name: 'sneaky' },
  });
  expect(created.status()).toBe(403);
  const invited = await page.request.post(`/t/${tenant.id}/admin/staff/invite`, {
    headers: { Origin: baseURL() },
    form: { idempotencyKey: `e2e-${uid()}-${uid()}`, email: 'friend@test.vigie', role: 'admin' },
  });
  expect(invited.status()).toBe(403);
  expect(await testDb().apiKey.count({ where: { tenantId: tenant.id } })).toBe(0);
  expect(await testDb().staffInvitation.count({ where: { tenantId: tenant.id } })).toBe(0);
});

test('an invited person joins through the one-time link and is signed in', async ({ page, context, browser }) => {
  const tenant = await makeTenant('Join');
  const admin = await makeStaff({ [tenant.id]: 'admin' });
  await signIn(context, admin, tenant.id, baseURL());
  const email = `joiner-${uid()}@test.vigie`;

  await page.goto(`/t/${tenant.id}/admin/staff`);
  await page.getByRole('button', { name: 'Invite a staff member' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role').selectOption('oncall');
  await page.getByRole('button', { name: 'Confirm: Invite a staff member' }).click();
  const linkInput = page.getByLabel('Invitation link');
  await expect(linkInput).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const link = await linkInput.inputValue();
  await expect(page.getByTestId('invitation-table')).toContainText(email);

  const joiner = await browser.newContext({ baseURL: baseURL() });
  const joinPage = await joiner.newPage();
  await joinPage.goto(link);
  await expect(joinPage.getByRole('heading')).toContainText(`Join ${tenant.name}`);
  await joinPage.getByLabel('Your name').fill('Jo Iner');
  await joinPage.getByLabel('Password (at least 12 characters)').fill('correct horse battery');
  await joinPage.getByLabel('Password again').fill('correct horse battery');
  await joinPage.getByRole('button', { name: `Join ${tenant.name}` }).click();
  await expect(joinPage).toHaveURL(new RegExp(`/t/${tenant.id}(/|$)`));
  // Signed in, as the invited role: the audit page (read:audit) opens for an on-call engineer.
  await joinPage.goto(`/t/${tenant.id}/audit`);
  await expect(joinPage.getByTestId('current-tenant')).toContainText('oncall');
  await expect(joinPage.getByTestId('audit-table')).toContainText('staff:invitation-accept');

  // The link worked once.
  const again = await joinPage.goto(link);
  expect(again?.status()).toBe(410);
  await expect(joinPage.getByRole('heading')).toHaveText('Invitation already used');
  await joiner.close();

  await page.reload();
  await expect(page.getByTestId(`member-${email}`)).toContainText('oncall');
  await expect(page.getByText('Pending invitations')).toBeVisible();
  await expect(page.getByTestId('invitation-table')).toHaveCount(0);
});
