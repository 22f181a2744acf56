import { expect, test, type Page } from '@playwright/test';
import { makeOrder, makeStaff, makeTenant, signIn, testDb, uid } from '../test-support/factories';
import { failedSagaWithFailedRefund, providerRefunds, runSaga } from './support/finance';
import { finance as enFinance } from '../app/i18n/locales/en/finance';
import { finance as frFinance } from '../app/i18n/locales/fr/finance';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
const headers = { Origin: baseURL };

test('a finance user opens a failed saga, reads its compensation journal, retries the failed refund and resolves the incident', async ({ page, context }) => {
  const tenant = await makeTenant('CraftMarket');
  const finance = await makeStaff({ [tenant.id]: 'finance' });
  const saga = await failedSagaWithFailedRefund(tenant.id);
  expect(saga.journal.statut).toBe('compensation_incomplète');
  await signIn(context, finance, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}`);
  await page.getByRole('link', { name: 'Payments' }).click();
  await expect(page.getByTestId('chart-outcomes')).toContainText('1 compensation incomplete');
  await expect(page.getByTestId('chart-outcomes').locator('svg.recharts-surface').first()).toBeVisible();
  await page.getByLabel('Status').selectOption('compensation_incomplete');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByTestId('saga-table').getByRole('link', { name: saga.commandeId }).click();

  await expect(page.getByTestId('saga-status')).toHaveText('compensation incomplete');
  await expect(page.getByTestId('execution-status')).toHaveText('Failed');
  await expect(page.getByTestId('execution-failure')).toContainText('SagaPaiementÉchouée');
  await expect(page.getByTestId('journal-source')).toContainText('From the workflow');
  const steps = page.getByTestId('saga-steps');
  await expect(steps.getByRole('row').nth(1)).toContainText('succeeded');
  await expect(steps.getByRole('row').nth(2)).toContainText('CompteVendeurInvalide');
  const journal = page.getByTestId('compensation-journal');
  await expect(journal.getByRole('row')).toHaveCount(2);
  await expect(journal.getByRole('row').nth(1)).toContainText('Refund the buyer');
  await expect(journal.getByRole('row').nth(1)).toContainText('failed');
  await expect(journal.getByRole('row').nth(1)).toContainText('refused by the provider (injected)');
  await expect(page.getByTestId('incident-status')).toHaveText('open');

  await page.getByTestId('retry-rembourserAcheteur').getByRole('button', { name: 'Retry' }).click();
  await page.getByRole('button', { name: 'Confirm: Retry' }).click();
  await expect(page.getByTestId('retry-rembourserAcheteur').getByRole('status')).toContainText('The refund of the buyer succeeded (re_local_');
  // The journal now shows the retry after the failed attempt, and the saga as undone.
  await expect(journal.getByRole('row')).toHaveCount(3);
  await expect(journal.getByRole('row').nth(2)).toContainText(`retry: Refund the buyer`);
  await expect(journal.getByRole('row').nth(2)).toContainText(finance.email);
  await expect(journal.getByRole('row').nth(2)).toContainText('succeeded');
  await expect(page.getByTestId('compensated-after-retry')).toBeVisible();
  // The reloaded page keeps the retry's answer beside a Retry that can no longer be used.
  await expect(page.getByTestId('retry-rembourserAcheteur').getByRole('button', { name: 'Retry' })).toBeDisabled();
  await expect(page.getByTestId('retry-rembourserAcheteur').getByRole('status')).toContainText('The refund of the buyer succeeded');
  await expect(page.getByTestId('refundable')).toHaveText('0,00 €');
  expect(await providerRefunds(saga.commandeId)).toHaveLength(1);

  await page.getByTestId('saga-incident').getByRole('link', { name: 'open the incident →' }).click();
  await expect(page.getByTestId('incident-status')).toHaveText('open');
  await expect(page.getByTestId('incident-compensations')).toContainText(`retry of Refund the buyer by ${finance.email}: succeeded`);
  await page.getByTestId('incident-acknowledge').getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByRole('button', { name: 'Confirm: Acknowledge' }).click();
  await expect(page.getByTestId('incident-status')).toHaveText('acknowledged');
  await page.getByTestId('incident-resolve').getByRole('button', { name: 'Resolve' }).click();
  const reason = `Buyer refunded on retry, seller account to verify ${uid()}`;
  await page.getByLabel('Reason').fill(reason);
  await page.getByRole('button', { name: 'Confirm: Resolve' }).click();
  await expect(page.getByTestId('incident-status')).toHaveText('resolved');
  const timeline = page.getByTestId('incident-timeline');
  await expect(timeline).toContainText('retried a compensation: rembourserAcheteur retried: succeeded');
  await expect(timeline).toContainText(`resolved: ${reason}`);

  // Every audited action of the tenant, but the operator's browser zone stored at the first page (app/preferences).
  const audit = await testDb().auditLog.findMany({ where: { tenantId: tenant.id, NOT: { action: { startsWith: 'preferences:' } } }, orderBy: { id: 'asc' } });
  expect(audit.map((a) => [a.action, a.outcome, a.actorEmail])).toEqual([
    ['payment:retry-compensation:rembourserAcheteur', 'ok', finance.email],
    ['incident:acknowledge', 'ok', finance.email],
    ['incident:resolve', 'ok', finance.email],
  ]);
  expect(audit[2]!.reason).toBe(reason);
});

test('two refunds posted at the same time that together exceed the charge: one is made, the other refused; the same request twice refunds once', async ({ page, context }) => {
  const tenant = await makeTenant('CraftMarket');
  const finance = await makeStaff({ [tenant.id]: 'finance' });
  const saga = await runSaga(tenant.id, 18_000);
  expect(saga.journal.statut).toBe('réussie');
  await signIn(context, finance, tenant.id, baseURL);
  await page.goto(`/t/${tenant.id}/payments/${saga.commandeId}`);
  const url = `/t/${tenant.id}/payments/${saga.commandeId}/money`;
  const refund = (amount: string, idempotencyKey: string) =>
    page.request.post(url, { headers, form: { op: 'refund', amount, reason: 'parcel lost in transit', idempotencyKey } });

  const race = await Promise.all([refund('100,00', `key-${uid()}-${uid()}`), refund('100,00', `key-${uid()}-${uid()}`)]);
  expect(race.map((r) => r.status()).sort()).toEqual([200, 409]);
  const refused = (await race.find((r) => r.status() === 409)!.json()) as { ok: boolean; error: string };
  expect(refused.ok).toBe(false);
  expect(refused.error).toMatch(/^Refund of 100,00 € refused: only 80,00 € remain refundable on charge ch_local_\w+ \(captured 180,00 €, refunded (0,00|100,00) €, pending (100,00|0,00) €\)\.$/);
  expect((await providerRefunds(saga.commandeId)).map((r) => r.amountCents)).toEqual([10_000]);

  const key = `key-${uid()}-${uid()}`;
  const twice = await Promise.all([refund('30', key), refund('30', key)]);
  expect(twice.map((r) => r.status())).toEqual([200, 200]);
  const bodies = (await Promise.all(twice.map((r) => r.json()))) as Array<{ result: { providerRefundId: string } }>;
  expect(bodies[0]!.result.providerRefundId).toBe(bodies[1]!.result.providerRefundId);
  expect((await providerRefunds(saga.commandeId)).map((r) => r.amountCents).sort()).toEqual([10_000, 3_000].sort());

  const bad = await refund('12.345', `key-${uid()}-${uid()}`);
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toContain('amount: expected a positive amount in euros');

  await page.reload();
  await expect(page.getByTestId('refundable')).toHaveText('50,00 €');
  await expect(page.getByTestId('refund-list').getByRole('row')).toHaveCount(3);
});

test('a refund from the page: amount and reason asked, at most what is left', async ({ page, context }) => {
  const tenant = await makeTenant('CraftMarket');
  const finance = await makeStaff({ [tenant.id]: 'finance' });
  const saga = await runSaga(tenant.id, 9_990);
  await signIn(context, finance, tenant.id, baseURL);
  await page.goto(`/t/${tenant.id}/payments/${saga.commandeId}`);
  await expect(page.getByTestId('refundable')).toHaveText('99,90 €');
  await page.getByTestId('refund').getByRole('button', { name: 'Refund' }).click();
  await page.getByLabel('Amount (€)').fill('120');
  await page.getByLabel('Reason').fill('goodwill gesture');
  await page.getByRole('button', { name: 'Confirm: Refund' }).click();
  await expect(page.getByTestId('refund').getByRole('alert')).toContainText('Refund of 120,00 € refused: only 99,90 € remain');
  await page.getByTestId('refund').getByRole('button', { name: 'Refund' }).click();
  await page.getByLabel('Amount (€)').fill('12,50');
  await page.getByLabel('Reason').fill('goodwill gesture');
  await page.getByRole('button', { name: 'Confirm: Refund' }).click();
  await expect(page.getByTestId('refund').getByRole('status')).toContainText('Refunded 12,50 €');
  await expect(page.getByTestId('refundable')).toHaveText('87,40 €');
  await expect(page.getByTestId('refund-list')).toContainText('goodwill gesture');
});

test('reconciliation lists each mismatch kind, tells one order’s story, marks a mismatch reconciled and exports CSV', async ({ page, context }) => {
  const tenant = await makeTenant('CraftMarket');
  const finance = await makeStaff({ [tenant.id]: 'finance' });
  const at = new Date(Date.now() - 30 * 60_000);
  const twice = uid('CMR');
  await makeOrder(tenant.id, {
    orderId: twice, totalCents: 68_000, status: 'succeeded', at,
    steps: [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance' }, { kind: 'refund', key: `remboursement-console-${twice}`, amountCents: 34_000 }, { kind: 'refund', key: `dashboard-${twice}`, amountCents: 34_000, ledger: 'none', provider: true }],
  });
  const charged = uid('CMR');
  await makeOrder(tenant.id, { orderId: charged, totalCents: 12_000, status: 'failed', at, steps: [{ kind: 'charge', ledger: 'pending', provider: true }] });
  await signIn(context, finance, tenant.id, baseURL);

  await page.goto(`/t/${tenant.id}/reconciliation`);
  const totals = page.getByTestId('mismatch-totals');
  await expect(totals.locator('tr[data-kind="refunded_twice"]')).toContainText('340,00');
  await expect(totals.locator('tr[data-kind="charged_without_outcome"]')).toContainText('120,00');
  await expect(page.getByTestId('mismatch-table').getByRole('row')).toHaveCount(3);

  await page.getByTestId('mismatch-table').getByRole('link', { name: twice }).click();
  await expect(page.getByTestId('story-mismatches')).toContainText('Refunded twice');
  await expect(page.getByTestId('story-movements').getByRole('row')).toHaveCount(6);
  await expect(page.getByTestId('story-movements')).toContainText('not in the ledger');
  await page.goBack();

  const row = page.getByTestId('mismatch-table').locator('tr', { hasText: twice });
  await row.getByRole('button', { name: 'Mark reconciled' }).click();
  await page.getByLabel('Reason').fill('Second refund recovered from the buyer (ticket 5521)');
  await page.getByRole('button', { name: 'Confirm: Mark reconciled' }).click();
  await expect(page.getByTestId('mismatch-table').getByRole('row')).toHaveCount(2);
  await expect(totals.locator('tr[data-kind="refunded_twice"]')).toContainText('1');

  const csvHref = await page.getByTestId('reconciliation-csv').getAttribute('href');
  const csv = await page.request.get(`${csvHref!.replace('state=open', '')}&state=all`);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const text = await csv.text();
  expect(text.split('\r\n')[0]).toBe('\uFEFFkey,kind,kind_label,order_id,subject,object_kind,ledger_eur,provider_eur,at_stake_eur,at_stake_cents,at,detail,state,reconciled_by,reconciled_at,reconciled_reason');
  expect(text).toContain(`refunded_twice,Refunded twice,${twice},`);
  expect(text).toContain(`,reconciled,${finance.email},`);
  expect(text).toContain('charged_without_outcome');
});

test('roles and tenants: support sees no payments, on-call reads but cannot refund, another tenant’s order is a 404', async ({ page, context }) => {
  const tenant = await makeTenant('CraftMarket');
  const other = await makeTenant('Other');
  const support = await makeStaff({ [tenant.id]: 'support' });
  const oncall = await makeStaff({ [tenant.id]: 'oncall' });
  const saga = await runSaga(other.id, 5_000);

  await signIn(context, support, tenant.id, baseURL);
  await page.goto(`/t/${tenant.id}`);
  await expect(page.getByRole('link', { name: 'Payments' })).toHaveCount(0);
  expect((await page.goto(`/t/${tenant.id}/payments`))?.status()).toBe(403);
  expect((await page.goto(`/t/${tenant.id}/reconciliation`))?.status()).toBe(403);

  await context.clearCookies();
  await signIn(context, oncall, tenant.id, baseURL);
  expect((await page.goto(`/t/${tenant.id}/payments`))?.status()).toBe(200);
  expect((await page.goto(`/t/${tenant.id}/payments/${saga.commandeId}`))?.status()).toBe(404);
  const post = await page.request.post(`/t/${tenant.id}/payments/${saga.commandeId}/money`, { headers, form: { op: 'refund', amount: '10', reason: 'not mine', idempotencyKey: uid('key') } });
  expect(post.status()).toBe(403);
  expect(await providerRefunds(saga.commandeId)).toHaveLength(0);
});

// The finance namespace's English labels a French page must not show: every English leaf but the
// words of codes (checked one by one below) and the actions' answers, cut at its {{values}}, each
// piece long enough to mean something and found in no French translation (`Total`, `Saga`…).
const leaves = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v as object)));
const CODE_WORDS = ['sagaStatus', 'entryStatus', 'incidentStatus', 'severity', 'refundOrigin', 'incidentEvent', 'mismatchState', 'movement', 'server', 'rules'];
const french = leaves(frFinance);
const englishLabels = [...new Set(
  Object.entries(enFinance)
    .filter(([group]) => !CODE_WORDS.includes(group))
    .flatMap(([, words]) => leaves(words as object))
    .flatMap((text) => text.split(/\{\{\w+\}\}/).map((piece) => piece.trim()))
    .filter((piece) => piece.length >= 6 && !french.some((fr) => fr.includes(piece))),
)];

async function expectNoEnglishLabel(page: Page) {
  // textContent: closed dialogs, options and confirmations count too.
  const text = (await page.locator('main').textContent()) ?? '';
  expect(englishLabels.filter((label) => text.includes(label))).toEqual([]);
}

test('a French finance operator reads the payments list, a saga, its incident and the reconciliation in French', async ({ page, context }) => {
  const tenant = await makeTenant('CraftMarket');
  const finance = await makeStaff({ [tenant.id]: 'finance' });
  await testDb().staffUser.update({ where: { id: finance.id }, data: { language: 'fr' } });
  const saga = await failedSagaWithFailedRefund(tenant.id);
  await signIn(context, finance, tenant.id, baseURL);
  expect(englishLabels).toEqual(expect.arrayContaining(['Payment sagas', 'Refund the buyer', 'Work the incident', 'Mark reconciled']));

  await page.goto(`/t/${tenant.id}/payments`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paiements');
  await expect(page).toHaveTitle('Sagas de paiement · Vigie');
  await expect(page.getByRole('link', { name: 'Sagas de paiement' })).toBeVisible();
  await expect(page.getByTestId('chart-outcomes')).toContainText('Issues : 1 compensation incomplète');
  await expect(page.getByRole('button', { name: 'Filtrer' })).toBeVisible();
  await expect(page.getByTestId('saga-table').getByRole('columnheader', { name: 'Acheteur' })).toBeVisible();
  await expectNoEnglishLabel(page);

  await page.getByTestId('saga-table').getByRole('link', { name: saga.commandeId }).click();
  await expect(page.getByTestId('saga-status')).toHaveText('compensation incomplète');
  await expect(page.getByTestId('journal-source')).toContainText('D’après le workflow (requête journalSaga)');
  const journal = page.getByTestId('compensation-journal');
  // The wire name stays beside its French words.
  await expect(journal.getByRole('row').nth(1)).toContainText('Rembourser l’acheteur (rembourserAcheteur)');
  await expect(journal.getByRole('row').nth(1)).toContainText('échoué');
  await expect(page.getByTestId('retry-rembourserAcheteur').getByRole('button', { name: 'Réessayer' })).toBeVisible();
  await expect(page.getByTestId('incident-status')).toHaveText('ouvert');
  await expect(page.getByRole('heading', { name: 'Remboursements' })).toBeVisible();
  await expectNoEnglishLabel(page);
  // A refusal of the money rules, in French, with the amounts of the page's helper.
  const refund = page.getByTestId('refund');
  await refund.getByRole('button', { name: 'Rembourser' }).click();
  await refund.getByLabel('Montant (€)').fill('500');
  await refund.locator('textarea[name=reason]').fill('geste commercial');
  await refund.locator('button[type=submit]').click();
  await expect(refund.getByRole('alert')).toContainText('Remboursement de 500,00 € refusé : il ne reste que 180,00 € remboursables sur le débit ch_local_');

  await page.getByTestId('saga-incident').getByRole('link', { name: 'ouvrir l’incident →' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Incident sur la commande');
  await expect(page.getByTestId('incident-status')).toHaveText('ouvert');
  await expect(page.getByRole('heading', { name: 'Traiter l’incident' })).toBeVisible();
  await expectNoEnglishLabel(page);
  // The action's answer is written in the operator's language too.
  const acknowledge = page.getByTestId('incident-acknowledge');
  await acknowledge.getByRole('button', { name: 'Prendre en compte' }).click();
  await acknowledge.locator('button[type=submit]').click();
  await expect(acknowledge.getByRole('status')).toHaveText('Incident pris en compte.');
  await expect(page.getByTestId('incident-status')).toHaveText('pris en compte');
  await expect(page.getByTestId('incident-timeline')).toContainText(`${finance.email} a pris en compte`);

  await page.getByRole('link', { name: 'Rapprochement' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rapprochement');
  await expect(page).toHaveTitle('Rapprochement · Vigie');
  await expect(page.getByRole('button', { name: 'Rapprocher' })).toBeVisible();
  await expect(page.getByTestId('mismatch-totals').locator('tr[data-kind="compensation_incomplete"]')).toContainText('Saga échouée pas entièrement compensée');
  const row = page.getByTestId('mismatch-table').getByRole('row').filter({ hasText: saga.commandeId }).first();
  await expect(row.getByRole('button', { name: 'Marquer rapproché' })).toBeVisible();
  // The reconciler's sentences too.
  await expect(page.getByTestId('mismatch-table')).toContainText('La saga s’est terminée avec une compensation incomplète, pourtant : acheteur non remboursé de 180,00 €');
  await expectNoEnglishLabel(page);

  await row.getByRole('link', { name: saga.commandeId }).click();
  await expect(page.getByRole('heading', { name: 'Où est l’argent, selon le prestataire' })).toBeVisible();
  await expect(page.getByTestId('story-movements').getByRole('columnheader', { name: 'Mouvement' })).toBeVisible();
  await expectNoEnglishLabel(page);
});
