// Land where you work, against the real PostgreSQL: the tenant layout records the last page
// (once per change, never a search, a POST or the bare tenant index), and login and "/" land there —
// unless the operator is no longer a member of its tenant; without one, the first membership's
// home for the role.
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStaff, makeTenant, sessionCookieFor, testDb } from '../../test-support/factories';
import { loader as indexLoader } from '../routes/_index';
import { action as loginAction } from '../routes/login';
import { loader as layoutLoader } from '../routes/t.$tenantId';
import type { Role } from '../server/permissions';
import { landing } from './landing.server';

const context = { clientAddress: '127.0.0.1', cspNonce: 'test' };
let alpha: { id: string }, beta: { id: string };

beforeAll(async () => {
  // Alpha sorts first by id: "first membership" must still mean the one given first.
  [alpha, beta] = [await makeTenant('Alpha'), await makeTenant('Beta')].sort((x, y) => (x.id < y.id ? -1 : 1));
});

const stored = async (userId: string) =>
  (await testDb().$queryRaw<Array<{ xmin: string; last_tenant_id: string | null; last_path: string | null }>>`
    SELECT xmin::text, last_tenant_id, last_path FROM staff_users WHERE id = ${userId}::uuid`)[0]!;

async function visit(cookie: string, tenantId: string, path: string, method = 'GET') {
  const request = new Request(`http://localhost${path}`, { method, headers: { Cookie: cookie, Origin: 'http://localhost' } });
  await layoutLoader({ request, params: { tenantId }, context });
}

async function logIn(staff: { email: string; password: string }, redirectTo = '') {
  const body = new URLSearchParams({ email: staff.email, password: staff.password, redirectTo });
  const request = new Request('http://localhost/login', { method: 'POST', body, headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' } });
  const res = (await loginAction({ request, params: {}, context })) as Response;
  expect(res.status).toBe(302);
  return res.headers.get('Location');
}

/** A staff member whose memberships were given in this order, a minute apart. */
async function staffJoining(...memberships: Array<[string, Role]>) {
  const staff = await makeStaff({});
  const start = Date.now() - 3_600_000;
  for (const [i, [tenantId, role]] of memberships.entries()) {
    await testDb().membership.create({ data: { tenantId, userId: staff.id, role, createdAt: new Date(start + i * 60_000) } });
  }
  return staff;
}

describe('without a stored page, login lands on the first membership’s home for its role', () => {
  for (const [role, home] of [['support', 'trials'], ['finance', 'payments'], ['oncall', 'workflows'], ['admin', 'workflows']] as Array<[Role, string]>) {
    it(`${role} → ${home}, in the tenant they joined first even when another sorts first`, async () => {
      const staff = await staffJoining([beta.id, role], [alpha.id, 'oncall']);
      expect(await logIn(staff)).toBe(`/t/${beta.id}/${home}`);
    });
  }
});

describe('the layout records the last page', () => {
  it('writes on a change only, and never for a search, a POST or the bare tenant index', async () => {
    const staff = await makeStaff({ [alpha.id]: 'support', [beta.id]: 'oncall' });
    const cookie = (await sessionCookieFor(staff, alpha.id)).header;
    await visit(cookie, alpha.id, `/t/${alpha.id}/trials/u-42`);
    const first = await stored(staff.id);
    expect(first).toMatchObject({ last_tenant_id: alpha.id, last_path: `/t/${alpha.id}/trials/u-42` });
    // The same page again, a search, the tenant's index and a POST: not one row version more.
    await visit(cookie, alpha.id, `/t/${alpha.id}/trials/u-42?tz=Europe%2FParis`);
    await visit(cookie, beta.id, `/t/${beta.id}/search?q=ann%40example.test`);
    await visit(cookie, beta.id, `/t/${beta.id}`);
    await visit(cookie, beta.id, `/t/${beta.id}/workflows`, 'POST');
    expect(await stored(staff.id)).toEqual(first);
    await visit(cookie, beta.id, `/t/${beta.id}/workflows/onboarding-u-42`);
    expect(await stored(staff.id)).toMatchObject({ last_tenant_id: beta.id, last_path: `/t/${beta.id}/workflows/onboarding-u-42` });
  });
});

describe('login and "/" land on the last page', () => {
  it('login, then "/" with the session, go back to the page last used in another tenant than the first', async () => {
    const staff = await staffJoining([alpha.id, 'support'], [beta.id, 'finance']);
    const cookie = (await sessionCookieFor(staff, alpha.id)).header;
    await visit(cookie, beta.id, `/t/${beta.id}/payments/CM-3001`);
    expect(await logIn(staff)).toBe(`/t/${beta.id}/payments/CM-3001`);
    // The new session starts in that tenant.
    expect(await testDb().session.findFirst({ where: { userId: staff.id }, orderBy: { createdAt: 'desc' }, select: { tenantId: true } })).toEqual({ tenantId: beta.id });
    const home = await indexLoader({ request: new Request('http://localhost/', { headers: { Cookie: cookie } }), params: {}, context }).then(() => null, (r: Response) => r);
    expect(home?.headers.get('Location')).toBe(`/t/${beta.id}/payments/CM-3001`);
    // A redirectTo (a deep link followed before signing in) still wins.
    expect(await logIn(staff, `/t/${alpha.id}/trials`)).toBe(`/t/${alpha.id}/trials`);
  });

  it('ignores a stored page that is not a plain path of that tenant', async () => {
    const staff = await staffJoining([alpha.id, 'support'], [beta.id, 'finance']);
    for (const lastPath of [`/t/${beta.id}/payments\\evil`, `/t/${beta.id}/pay\nments`, `/t/${alpha.id}/workflows`]) {
      await testDb().staffUser.update({ where: { id: staff.id }, data: { lastTenantId: beta.id, lastPath } });
      expect(await logIn(staff)).toBe(`/t/${alpha.id}/trials`);
    }
  });

  it('ignores a page stored in a tenant the operator is no longer a member of', async () => {
    const staff = await staffJoining([beta.id, 'finance'], [alpha.id, 'oncall']);
    const cookie = (await sessionCookieFor(staff, beta.id)).header;
    await visit(cookie, beta.id, `/t/${beta.id}/payments`);
    await testDb().membership.update({ where: { tenantId_userId: { tenantId: beta.id, userId: staff.id } }, data: { disabledAt: new Date() } });
    expect(await logIn(staff)).toBe(`/t/${alpha.id}/workflows`);
    // And with no active membership left, nowhere.
    await testDb().membership.update({ where: { tenantId_userId: { tenantId: alpha.id, userId: staff.id } }, data: { disabledAt: new Date() } });
    expect(await landing(staff.id)).toBeNull();
  });
});
