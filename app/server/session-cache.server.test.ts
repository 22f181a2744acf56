// The session lookup remembered for a few seconds per process: what this process changes applies
// at once; what changes elsewhere applies within SESSION_CACHE_MS, never later, never past expiry.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { makeStaff, makeTenantContext, sessionCookieFor, testDb } from '../../test-support/factories';
import { changeRole, setMemberAccess } from '../admin/staff.server';
import { destroySession, getStaff, requireTenant } from './auth.server';
import { db } from './db.server';
import { SessionCache } from './session-cache.server';
import { rememberPage } from '../navigation/landing.server';

afterAll(async () => {
  await db().$disconnect();
  await testDb().$disconnect();
});

const idem = () => `test-${randomUUID()}`;

async function signedIn() {
  const { tenant, ctx: admin } = await makeTenantContext('admin', { tenantName: 'Cache' });
  const agent = await makeStaff({ [tenant.id]: 'support' });
  const { header: cookie } = await sessionCookieFor(agent, tenant.id);
  const request = () => new Request(`http://localhost/t/${tenant.id}/trials`, { headers: { Cookie: cookie } });
  return { tenant, admin, agent, cookie, request };
}

describe('the remembered session', () => {
  it('answers the next request without reading the database again, within the bound', async () => {
    const { agent, request } = await signedIn();
    expect((await getStaff(request()))?.userId).toBe(agent.id);
    // Changed behind this process's back (another console, or by hand): still remembered for now…
    await testDb().staffUser.update({ where: { id: agent.id }, data: { name: 'Renamed elsewhere' } });
    expect((await getStaff(request()))?.name).not.toBe('Renamed elsewhere');
    // …and read afresh once the bound has passed.
    await expect.poll(async () => (await getStaff(request()))?.name, { timeout: 10_000, interval: 500 }).toBe('Renamed elsewhere');
  });

  it('a sign-out in this process ends the session at once', async () => {
    const { request, cookie } = await signedIn();
    expect(await getStaff(request())).not.toBeNull();
    await destroySession(new Request('http://localhost/logout', { method: 'POST', headers: { Cookie: cookie } }));
    expect(await getStaff(request())).toBeNull();
  });

  it('a role changed or a membership disabled by an admin of this process applies to the next request', async () => {
    const { tenant, admin, agent, request } = await signedIn();
    expect((await requireTenant(request(), tenant.id)).role).toBe('support');
    await changeRole(admin, { email: agent.email, role: 'finance', idempotencyKey: idem() });
    expect((await requireTenant(request(), tenant.id)).role).toBe('finance');
    await setMemberAccess(admin, { email: agent.email, disabled: true, idempotencyKey: idem() });
    const refused = await requireTenant(request(), tenant.id).then(() => null, (e: unknown) => e);
    expect((refused as Response).status).toBe(404);
  });

  it('the page an operator moves to is remembered with the session, which is not read again for it', async () => {
    const { tenant, agent, request } = await signedIn();
    const ctx = await requireTenant(request(), tenant.id);
    await testDb().staffUser.update({ where: { id: agent.id }, data: { name: 'Renamed elsewhere' } });
    const page = `/t/${tenant.id}/workflows`;
    expect(await rememberPage(ctx, new Request(`http://localhost${page}`))).toBe(true);
    const next = await getStaff(request());
    // The new page, from this process's write; the rename made elsewhere not yet (not read again).
    expect(next).toMatchObject({ lastTenantId: tenant.id, lastPath: page, name: agent.name });
    expect(await testDb().staffUser.findUniqueOrThrow({ where: { id: agent.id } })).toMatchObject({ lastPath: page });
    // The same page again writes nothing.
    expect(await rememberPage({ ...next!, tenantId: tenant.id }, new Request(`http://localhost${page}`))).toBe(false);
  });

  it('a caller changing its context does not change what the next request is given', async () => {
    const { tenant, request } = await signedIn();
    const first = await requireTenant(request(), tenant.id);
    first.memberships[0]!.role = 'admin';
    first.memberships.push({ tenantId: 'elsewhere', tenantName: 'Elsewhere', role: 'admin' });
    const next = await getStaff(request());
    expect(next?.memberships).toEqual([{ tenantId: tenant.id, tenantName: tenant.name, role: 'support' }]);
  });
});

describe('SessionCache', () => {
  const entry = (userId: string, expiresAt = new Date(10_000_000)) => ({ value: userId, userId, expiresAt });

  it('keeps an entry for its time to live, never past the session’s expiry', () => {
    const cache = new SessionCache<string>(() => 3_000);
    cache.set('a', cache.begin(), entry('u1'), 1_000);
    cache.set('b', cache.begin(), entry('u2', new Date(2_000)), 1_000);
    expect(cache.get('a', 3_999)).toBe('u1');
    expect(cache.get('a', 4_000)).toBeUndefined();
    expect(cache.get('b', 1_999)).toBe('u2');
    expect(cache.get('b', 2_000)).toBeUndefined();
  });

  it('does not store what a lookup read before a forget, and forgets every session of a user', () => {
    const cache = new SessionCache<string>(() => 3_000);
    cache.set('a', cache.begin(), entry('u1'), 0);
    cache.set('b', cache.begin(), entry('u1'), 0);
    const started = cache.begin();
    cache.forgetUser('u1');
    expect([cache.get('a', 1), cache.get('b', 1)]).toEqual([undefined, undefined]);
    cache.set('a', started, entry('u1'), 1);
    expect(cache.get('a', 2)).toBeUndefined();
  });

  it('remembers nothing when its time to live is 0', () => {
    const cache = new SessionCache<string>(() => 0);
    cache.set('a', cache.begin(), entry('u1'), 0);
    expect(cache.size).toBe(0);
  });
});
