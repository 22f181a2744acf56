// The finance demo data: every kind of mismatch is there for CraftMarket, and seeding twice
// changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../../prisma/db';
import { MISMATCH_KINDS, reconcile } from '../../finance/reconcile';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import { seedDemoFinance } from './demo-finance';

const db = createPrismaClient(process.env.DATABASE_URL!, { max: 3 });
afterAll(() => db.$disconnect());

describe('seedDemoFinance', () => {
  it('gives CraftMarket one order of every mismatch kind in the last week, idempotently', async () => {
    const gateway = new LocalPaymentGateway(db);
    const first = await seedDemoFinance(db, gateway);
    expect(first).toEqual({ skipped: null, orders: 43 });
    const counts = async () => ({
      sagas: await db.paymentSaga.count({ where: { tenantId: 'craftmarket' } }),
      ledger: await db.ledgerEntry.count({ where: { tenantId: 'craftmarket' } }),
      provider: await db.providerObject.count({ where: { orderId: { startsWith: 'CM-D-' } } }),
      incidents: await db.financeIncident.count({ where: { tenantId: 'craftmarket' } }),
    });
    const before = await counts();
    await seedDemoFinance(db, gateway);
    expect(await counts()).toEqual(before);
    expect(before.incidents).toBe(2);

    const now = new Date();
    const result = await reconcile(db, gateway, { tenantId: 'craftmarket', from: new Date(now.getTime() - 7 * 86_400_000), to: new Date(now.getTime() + 86_400_000) });
    const found = Object.fromEntries(result.mismatches.map((m) => [m.kind, m.orderId]));
    for (const kind of MISMATCH_KINDS) expect(found[kind], kind).toMatch(/^CM-D-1\d\d$/);
    expect(result.mismatches.filter((m) => !m.orderId?.startsWith('CM-D-1'))).toEqual([]);
    const twice = result.mismatches.find((m) => m.kind === 'refunded_twice')!;
    expect(twice).toMatchObject({ orderId: 'CM-D-103', atStakeCents: 34_000 });

    const month = await reconcile(db, gateway, { tenantId: 'craftmarket', from: new Date(now.getTime() - 31 * 86_400_000), to: new Date(now.getTime() + 86_400_000) });
    expect(month.mismatches.filter((m) => !m.orderId?.startsWith('CM-D-1'))).toEqual([]);
  });
});
