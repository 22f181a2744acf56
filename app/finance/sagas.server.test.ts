// The payment sagas list and page: SQL filters, keyset paging in every sort, charts with empty
// days, and a saga page that still tells its story when Temporal has no execution for it.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeOrder } from '../../finance/fixtures';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import { uid } from '../../test-support/ids';
import { db } from '../server/db.server';
import { getSagaDetail, listSagas, parseSagaList, sagaCharts, type SagaListParams } from './sagas.server';

const tenantId = uid('t-pay');
const DAY = 86_400_000;
const base = new Date('2026-01-10T10:00:00Z');
const orders: Array<{ id: string; total: number; status: 'succeeded' | 'compensated' | 'failed'; day: number }> = [
  { id: 'CMP-a', total: 18_000, status: 'succeeded', day: 0 },
  { id: 'CMP-b', total: 5_000, status: 'succeeded', day: 0 },
  { id: 'CMP-c', total: 24_550, status: 'compensated', day: 1 },
  { id: 'CMP-d', total: 9_990, status: 'failed', day: 3 },
  { id: 'CMP-e', total: 18_000, status: 'succeeded', day: 3 },
];
const suffix = uid();
const oid = (id: string) => `${id}-${suffix}`;

beforeAll(async () => {
  const gateway = new LocalPaymentGateway(db());
  for (const o of orders) {
    const steps = o.status === 'succeeded'
      ? [{ kind: 'charge' as const }, { kind: 'transfer' as const }, { kind: 'insurance' as const }]
      : o.status === 'compensated'
        ? [{ kind: 'charge' as const }, { kind: 'transfer' as const, ledger: 'failed' as const }, { kind: 'refund' as const }]
        : [{ kind: 'charge' as const, ledger: 'failed' as const }];
    await writeOrder(db(), gateway, { tenantId, orderId: oid(o.id), totalCents: o.total, status: o.status, at: new Date(base.getTime() + o.day * DAY), steps, buyerId: `buyer-${o.id.slice(-1)}` });
  }
});

const params = (p: Record<string, string>): SagaListParams => {
  const parsed = parseSagaList(new URLSearchParams(p));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.params;
};

async function walk(p: Record<string, string>) {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await listSagas(tenantId, params({ ...p, size: '25', ...(cursor ? { cursor } : {}) }));
    seen.push(...page.rows.map((r) => r.orderId.replace(`-${suffix}`, '')));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe('payment sagas list', () => {
  it('pages from another tenant’s order id exactly as from an unknown one: an empty page, nothing bracketed', async () => {
    const other = uid('t-pay-other');
    await writeOrder(db(), new LocalPaymentGateway(db()), { tenantId: other, orderId: oid('CMP-theirs'), totalCents: 12_345, status: 'succeeded', at: new Date(base.getTime() + DAY), steps: [{ kind: 'charge' as const }] });
    for (const sort of ['started', 'amount', 'order', 'status']) {
      const fromTheirs = await listSagas(tenantId, params({ sort, cursor: oid('CMP-theirs') }));
      const fromUnknown = await listSagas(tenantId, params({ sort, cursor: oid('CMP-nobody') }));
      expect(fromTheirs).toEqual(fromUnknown);
      expect(fromTheirs.rows).toEqual([]);
    }
  });

  it('filters by status, text and days, and counts the matches', async () => {
    const succeeded = await listSagas(tenantId, params({ status: 'succeeded' }));
    expect(succeeded.total).toBe(3);
    expect((await listSagas(tenantId, params({ q: 'buyer-c' }))).rows.map((r) => r.orderId)).toEqual([oid('CMP-c')]);
    expect((await listSagas(tenantId, params({ from: '2026-01-11', to: '2026-01-11' }))).rows.map((r) => r.orderId)).toEqual([oid('CMP-c')]);
    // A typed % is a percent sign, not a wildcard.
    expect((await listSagas(tenantId, params({ q: '%' }))).total).toBe(0);
  });

  it('pages through every sort without losing or repeating a row, ties broken by order id', async () => {
    expect(await walk({ sort: 'amount', dir: 'asc' })).toEqual(['CMP-b', 'CMP-d', 'CMP-a', 'CMP-e', 'CMP-c']);
    expect(await walk({ sort: 'amount', dir: 'desc' })).toEqual(['CMP-c', 'CMP-e', 'CMP-a', 'CMP-d', 'CMP-b']);
    const byStart = await walk({});
    expect(byStart.slice(0, 2).sort()).toEqual(['CMP-d', 'CMP-e']);
    expect(byStart).toHaveLength(5);
    const small = await listSagas(tenantId, { ...params({ sort: 'order', dir: 'asc' }), size: 2 });
    expect(small.rows.map((r) => r.orderId)).toEqual([oid('CMP-a'), oid('CMP-b')]);
    expect(small.nextCursor).toBe(oid('CMP-b'));
  });

  it('names a bad filter', () => {
    expect(parseSagaList(new URLSearchParams({ status: 'lost' }))).toMatchObject({ ok: false, error: expect.stringContaining('Filter “status”') });
    expect(parseSagaList(new URLSearchParams({ from: '2026-01-05', to: '2026-01-01' }))).toMatchObject({ ok: false, error: expect.stringContaining('after') });
  });

  it('charts daily volume and outcomes, days without orders included', async () => {
    const charts = await sagaCharts(tenantId, params({ from: '2026-01-10', to: '2026-01-14' }));
    expect(charts.days.map((d) => [d.day, d.orders, d.volumeCents, d.succeededCents, d.succeeded, d.compensated, d.failed])).toEqual([
      ['2026-01-10', 2, 23_000, 23_000, 2, 0, 0],
      ['2026-01-11', 1, 24_550, 0, 0, 1, 0],
      ['2026-01-12', 0, 0, 0, 0, 0, 0],
      ['2026-01-13', 2, 27_990, 18_000, 1, 0, 1],
      ['2026-01-14', 0, 0, 0, 0, 0, 0],
    ]);
    const lastMonth = await sagaCharts(tenantId, params({}), new Date('2026-01-20T08:00:00Z'));
    expect(lastMonth.days).toHaveLength(30);
    expect(lastMonth.days.at(-1)!.day).toBe('2026-01-20');
  });

  it('reads the days, of the filters and of the charts, in the operator’s zone', async () => {
    // 10:00 UTC is midnight of the next day at Kiritimati (UTC+14): every order moves a day later.
    const zoned = { ...params({ from: '2026-01-11', to: '2026-01-14' }), tz: 'Pacific/Kiritimati' };
    const charts = await sagaCharts(tenantId, zoned);
    expect(charts.days.map((d) => [d.day, d.orders])).toEqual([['2026-01-11', 2], ['2026-01-12', 1], ['2026-01-13', 0], ['2026-01-14', 2]]);
    expect((await listSagas(tenantId, { ...params({ from: '2026-01-12', to: '2026-01-12' }), tz: 'Pacific/Kiritimati' })).rows.map((r) => r.orderId)).toEqual([oid('CMP-c')]);
    expect((await listSagas(tenantId, { ...params({ from: '2026-01-10', to: '2026-01-10' }), tz: 'Pacific/Kiritimati' })).total).toBe(0);
    // Today is the zone's: 20 January 20:00 UTC is already the 21st there.
    expect((await sagaCharts(tenantId, { ...params({}), tz: 'Pacific/Kiritimati' }, new Date('2026-01-20T20:00:00Z'))).days.at(-1)!.day).toBe('2026-01-21');
  });
});

describe('a saga’s page', () => {
  it('rebuilds the journal from the ledger when Temporal has no execution, and shows what is left to refund', async () => {
    const d = await getSagaDetail(tenantId, oid('CMP-c'));
    expect(d.temporal.execution).toBeNull();
    expect(d.temporal.note).toMatchObject({ key: 'noExecution', values: { workflowId: expect.stringMatching(/^payment-/) } });
    expect(d.journal.source).toBe('ledger');
    expect(d.journal.steps.map((s) => [s.name, s.status])).toEqual([['débiterAcheteur', 'succeeded'], ['virerVendeur', 'failed']]);
    expect(d.journal.compensations.map((c) => [c.action, c.status])).toEqual([['rembourserAcheteur', 'succeeded']]);
    expect(d.journal.retryable).toEqual([]);
    expect(d.position).toMatchObject({ capturedCents: 24_550, refundedCents: 24_550, remainingCents: 0 });
    expect(d.refunds).toEqual([expect.objectContaining({ origin: 'saga', amountCents: 24_550, status: 'succeeded' })]);
  });

  it('is a 404 for another tenant’s order', async () => {
    await expect(getSagaDetail(uid('t'), oid('CMP-a'))).rejects.toMatchObject({ status: 404 });
  });
});
