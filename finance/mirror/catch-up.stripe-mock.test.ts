// The catch-up through the real Stripe adapter, against stripe-mock (docs/decisions/070): the
// event and object lists it sends are requests Stripe's spec accepts, and what comes back is
// stored and applied. stripe-mock answers each list with one fixture object whatever the filters,
// so this proves the wiring and the shapes; paging and cursors are proven on the stand-in
// (finance/reconcile.test.ts) and the SDK stub (ports/provider-sdks.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../../prisma/db';
import { StripeGateway } from '../../ports/stripe-gateway';
import { startStripeMock, type StripeMockHandle } from '../../scripts/lib/stripe-mock';
import { catchUp } from './catch-up';

const db = createPrismaClient(process.env.DATABASE_URL!, { max: 2 });
let mock: StripeMockHandle;
let gateway: StripeGateway;
beforeAll(async () => {
  mock = await startStripeMock();
  gateway = new StripeGateway({ secretKey: 'sk_test_vigie', insuranceCustomerId: 'cus_insurer', host: mock.host, port: mock.port, protocol: 'http' });
});
afterAll(async () => {
  await mock?.stop();
  await db.$disconnect();
});

describe('catch-up against stripe-mock', () => {
  it('by events: stores Stripe’s event once, via the catch-up, and applies it', async () => {
    const first = await catchUp(db, gateway, { mode: 'events', since: new Date(Date.now() - 3_600_000) });
    expect(first).toMatchObject({ mode: 'events', pages: 1 });
    const { data } = (await (await fetch(`http://${mock.host}:${mock.port}/v1/events`, { headers: { Authorization: 'Bearer sk_test_vigie' } })).json()) as { data: Array<{ id: string; type: string }> };
    const event = await db.mirrorEvent.findUniqueOrThrow({ where: { id: data[0]!.id } });
    expect(event).toMatchObject({ type: data[0]!.type, processedAt: expect.any(Date), lastError: null });
    const again = await catchUp(db, gateway, { mode: 'events', since: new Date(Date.now() - 3_600_000) });
    expect(again.stored).toBe(0);
    expect(await db.mirrorEvent.count({ where: { id: data[0]!.id } })).toBe(1);
  });

  it('by objects: the charge, refund, transfer with its reversals and invoice item Stripe lists are mirrored', async () => {
    const r = await catchUp(db, gateway, { mode: 'objects', since: new Date(Date.now() - 3_600_000), pageSize: 100 });
    // Four lists in four time slices each, one page each.
    expect(r).toMatchObject({ mode: 'objects', pages: 16 });
    const get = async (path: string) => ((await (await fetch(`http://${mock.host}:${mock.port}${path}`, { headers: { Authorization: 'Bearer sk_test_vigie' } })).json()) as { data: Array<{ id: string; amount: number }> }).data[0]!;
    for (const [path, kind] of [['/v1/charges', 'charge'], ['/v1/refunds', 'refund'], ['/v1/transfers', 'transfer'], ['/v1/invoiceitems', 'insurance']] as const) {
      const object = await get(path);
      expect(await db.mirrorObject.findUnique({ where: { id: object.id }, select: { kind: true, amountCents: true, tenantId: true } }), path).toEqual({ kind, amountCents: object.amount, tenantId: null });
    }
  });
});
