// Reconciliation in the console: the period, marks (once, audited, the same in every period),
// and a CSV export that spreadsheets open as text.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOrder, tenantContext, uid } from '../../test-support/factories';
import { db } from '../server/db.server';
import { forgetReconciliations, markReconciled, parsePeriod, reconciliationCsv, reconciliationView, type Period } from './reconciliation.server';

const tenantId = uid('t-rcs');
const ctx = tenantContext('finance', { tenant: tenantId, staff: { email: 'finance@test.vigie', name: 'Fabien' } });
const today = new Date().toISOString().slice(0, 10);
const period: Period = { from: today, to: today, state: 'all', page: 1 };
// An order id a spreadsheet would run as a formula, and a detail with quotes, commas and a line break.
const evil = uid('=HYPERLINK("http://x",1)');
const plain = uid('CMC');

beforeAll(async () => {
  const at = new Date(Date.now() - 60_000);
  await makeOrder(tenantId, { orderId: evil, totalCents: 12_000, status: 'failed', at, steps: [{ kind: 'charge', ledger: 'pending', provider: true }] });
  await makeOrder(tenantId, {
    orderId: plain, totalCents: 18_000, status: 'succeeded', at,
    steps: [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance', providerAmountCents: 95 }, { kind: 'refund', key: `dashboard,"refund"\n${plain}`, amountCents: 1_234, ledger: 'none', provider: true }],
  });
});

describe('parsePeriod', () => {
  it('defaults to the last 7 days, takes whole UTC days, and names a bad value', () => {
    expect(parsePeriod(new URLSearchParams(), new Date('2026-03-10T12:00:00Z'))).toEqual({ ok: true, period: { from: '2026-03-04', to: '2026-03-10', state: 'open', page: 1 } });
    expect(parsePeriod(new URLSearchParams({ from: '2026-02-30' }))).toMatchObject({ ok: false, error: expect.stringContaining('“from”: expected a date as YYYY-MM-DD (got “2026-02-30”)') });
    expect(parsePeriod(new URLSearchParams({ from: '2026-03-10', to: '2026-03-01' }))).toMatchObject({ ok: false, error: expect.stringContaining('after') });
    expect(parsePeriod(new URLSearchParams({ from: '2026-01-01', to: '2026-06-01' }))).toMatchObject({ ok: false, error: expect.stringContaining('at most 92 days') });
    expect(parsePeriod(new URLSearchParams({ kind: 'everything' }))).toMatchObject({ ok: false, error: expect.stringContaining('“kind”') });
  });
});

describe('reconciliation in the console', () => {
  it('marks a mismatch reconciled once, with a reason, audited, and keeps it marked', async () => {
    const view = await reconciliationView(tenantId, period, { fresh: true });
    const amount = view.rows.find((r) => r.kind === 'amount_differs' && r.orderId === plain)!;
    expect(amount).toMatchObject({ ledgerCents: 90, providerCents: 95, mark: null });
    const form = { idempotencyKey: randomUUID(), key: amount.key, from: today, to: today, reason: 'Provider rounding, confirmed with the insurer.' };
    expect(await markReconciled(ctx, form)).toMatchObject({ ok: true, result: { message: 'Marked reconciled.' } });
    const again = await markReconciled(ctx, { ...form, idempotencyKey: randomUUID(), reason: 'second opinion' });
    expect(again).toMatchObject({ ok: false, status: 409, error: expect.stringContaining('Already reconciled by finance@test.vigie') });

    forgetReconciliations(tenantId);
    const after = await reconciliationView(tenantId, { ...period, state: 'open' });
    expect(after.rows.map((r) => r.key)).not.toContain(amount.key);
    expect(after.totals.find((t) => t.kind === 'amount_differs')).toMatchObject({ open: 0, reconciled: 1 });
    const reconciled = await reconciliationView(tenantId, { ...period, state: 'reconciled' });
    expect(reconciled.rows).toEqual([expect.objectContaining({ key: amount.key, mark: expect.objectContaining({ by: ctx.email, reason: form.reason }) })]);
    const audit = await db().auditLog.findMany({ where: { tenantId, targetId: amount.key }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.outcome, a.reason])).toEqual([['reconcile:mark', 'ok', form.reason], ['reconcile:mark', 'refused', 'second opinion']]);
  });

  it('refuses to mark what is not a mismatch of the period', async () => {
    await expect(markReconciled(ctx, { idempotencyKey: randomUUID(), key: 'amount_differs:ii_local_nothing', from: today, to: today, reason: 'typo' })).rejects.toMatchObject({ status: 404 });
  });

  it('exports every mismatch as CSV: quoted where needed, formulas neutralised, amounts in euros and cents', async () => {
    const csv = await reconciliationCsv(ctx, period);
    expect(csv.startsWith('\uFEFFkey,kind,kind_label,order_id,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    const charged = lines.find((l) => l.startsWith('charged_without_outcome:'))!;
    // The order id starts with "=": it gets a leading quote, and its own quotes and comma force quoting.
    expect(charged).toContain(`,"'${evil.replaceAll('"', '""')}",`);
    expect(charged).toContain(',120.00,12000,');
    const unknown = csv.slice(csv.indexOf('unknown_to_ledger:'));
    expect(unknown).toContain(`key dashboard,""refund""\n${plain})`);
    expect(unknown.split('\r\n')[0]).toMatch(/^unknown_to_ledger:\S+,unknown_to_ledger,Provider object unknown to the ledger,CMC-/);
    expect(csv).toContain(',12.34,1234,');
    const exports = await db().auditLog.findMany({ where: { tenantId, action: 'reconcile:export' } });
    expect(exports).toEqual([expect.objectContaining({ targetId: `${today}..${today}`, actorEmail: ctx.email })]);
  });
});
