// The factories against the auth module they stand in for: a session cookie the console
// accepts, and a hand-made TenantContext shaped like the one requireTenant returns.
import { afterAll, describe, expect, it } from 'vitest';
import { requireTenant } from '../app/server/auth.server';
import { db } from '../app/server/db.server';
import { makeOrder, makeTenantContext, sessionCookieFor, tenantContext, testDb } from './factories';
import { uid } from './ids';

afterAll(async () => {
  await db().$disconnect();
  await testDb().$disconnect();
});

describe('test factories', () => {
  it('sessionCookieFor makes a session the console accepts, and tenantContext matches what requireTenant returns', async () => {
    const { tenant, staff, ctx } = await makeTenantContext('finance');
    const cookie = await sessionCookieFor(staff, tenant.id);
    expect(cookie).toMatchObject({ name: 'vigie_session', path: '/', httpOnly: true, sameSite: 'lax' });
    const request = new Request(`http://localhost/t/${tenant.id}`, { headers: { Cookie: cookie.header } });
    const real = await requireTenant(request, tenant.id);
    expect({ ...ctx, sessionId: real.sessionId }).toEqual(real);
  });

  it('tenantContext writes nothing and needs only a role', () => {
    const ctx = tenantContext('support', { tenant: 't-x' });
    expect(ctx).toMatchObject({ tenantId: 't-x', sessionTenantId: 't-x', role: 'support', memberships: [{ tenantId: 't-x', role: 'support' }] });
  });

  it('makeOrder writes a succeeded saga with its ledger rows', async () => {
    const { tenant } = await makeTenantContext('finance');
    const { orderId } = await makeOrder(tenant.id);
    expect(await testDb().paymentSaga.findUniqueOrThrow({ where: { orderId } })).toMatchObject({ tenantId: tenant.id, status: 'succeeded', totalCents: 18_000 });
    expect((await testDb().ledgerEntry.findMany({ where: { orderId } })).map((e) => e.kind).sort()).toEqual(['charge', 'insurance', 'transfer']);
  });

  it('uid is eight hex digits, after a prefix when given', () => {
    expect(uid()).toMatch(/^[0-9a-f]{8}$/);
    expect(uid('t')).toMatch(/^t-[0-9a-f]{8}$/);
  });
});
