// The operator's time zone and language through the console's own routes, with real sessions and
// the real database: the Preferences page's action, the browser's zone sent once, and the tenant
// layout's loader that gives every page its zone. A refusal changes no row and writes no audit row.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { makeStaff, makeTenant, sessionCookieFor, testDb } from '../../test-support/factories';
import { db } from '../server/db.server';
import { action as preferencesAction, loader as preferencesLoader } from '../routes/t.$tenantId.preferences';
import { action as browserZoneAction } from '../routes/t.$tenantId.preferences.time-zone';
import { loader as layoutLoader } from '../routes/t.$tenantId';

afterAll(async () => {
  await db().$disconnect();
  await testDb().$disconnect();
});

const context = { clientAddress: '127.0.0.1', cspNonce: 'test' };

async function operator(role: 'support' | 'finance' | 'oncall' | 'admin' = 'support') {
  const tenant = await makeTenant('Prefs');
  const staff = await makeStaff({ [tenant.id]: role });
  const { header: cookie } = await sessionCookieFor(staff, tenant.id);
  return { tenant, staff, cookie };
}

/** A POST as the console's own page sends it; a thrown Response (403/404/400 of a check) is returned. */
async function post(
  run: typeof preferencesAction | typeof browserZoneAction,
  path: string,
  tenantId: string,
  cookie: string,
  fields: Record<string, string>,
): Promise<Response> {
  const request = new Request(`http://localhost${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return (run({ request, params: { tenantId }, context }) as Promise<Response>).then((r) => r, (e: unknown) => {
    if (e instanceof Response) return e;
    throw e;
  });
}

const savePreferences = (tenantId: string, cookie: string, fields: Record<string, string>) =>
  post(preferencesAction, `/t/${tenantId}/preferences`, tenantId, cookie, fields);
const sendBrowserZone = (tenantId: string, cookie: string, fields: Record<string, string>) =>
  post(browserZoneAction, `/t/${tenantId}/preferences/time-zone`, tenantId, cookie, fields);

const stored = (id: string) => testDb().staffUser.findUniqueOrThrow({ where: { id }, select: { timeZone: true, language: true } });
const auditRows = (tenantId: string, actorId: string) =>
  testDb().auditLog.findMany({ where: { tenantId, actorId, action: { startsWith: 'preferences:' } }, orderBy: { id: 'asc' } });

async function layoutData(tenantId: string, cookie: string) {
  const request = new Request(`http://localhost/t/${tenantId}/dashboard`, { headers: { Cookie: cookie } });
  const response = await layoutLoader({ request, params: { tenantId }, context });
  return (await response.json()) as { timeZone: string; timeZoneStored: boolean; language: string };
}

describe('the Preferences page', () => {
  it('stores a valid zone and language, with one audit row; the same form again changes nothing more', async () => {
    const { tenant, staff, cookie } = await operator('finance');
    expect(await stored(staff.id)).toEqual({ timeZone: null, language: 'en' });
    const fields = { timeZone: 'Europe/Paris', language: 'fr', idempotencyKey: `prefs-${randomUUID()}` };

    const saved = await savePreferences(tenant.id, cookie, fields);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ ok: true, result: { changed: true, timeZone: 'Europe/Paris', language: 'fr' }, replayed: false });
    expect(await stored(staff.id)).toEqual({ timeZone: 'Europe/Paris', language: 'fr' });

    const again = await savePreferences(tenant.id, cookie, fields);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, result: { changed: false } });
    expect(await stored(staff.id)).toEqual({ timeZone: 'Europe/Paris', language: 'fr' });

    const rows = await auditRows(tenant.id, staff.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'preferences:update', targetType: 'staff', targetId: staff.id, outcome: 'ok', actorEmail: staff.email, idempotencyKey: fields.idempotencyKey,
      detail: { before: { timeZone: null, language: 'en' }, after: { timeZone: 'Europe/Paris', language: 'fr' } },
    });
  });

  it('refuses a zone Intl does not know with a 400 naming the field: no row changed, no audit row', async () => {
    const { tenant, staff, cookie } = await operator();
    await testDb().staffUser.update({ where: { id: staff.id }, data: { timeZone: 'America/New_York' } });
    for (const timeZone of ['Mars/Olympus_Mons', 'Europe/Paris; DROP TABLE staff_users', '', '+01:00']) {
      const refused = await savePreferences(tenant.id, cookie, { timeZone, language: 'fr', idempotencyKey: `prefs-${randomUUID()}` });
      expect(refused.status, timeZone).toBe(400);
      const body = (await refused.json()) as { ok: boolean; error: string };
      expect(body.ok).toBe(false);
      expect(body.error, timeZone).toMatch(/^timeZone: /);
    }
    expect(await stored(staff.id)).toEqual({ timeZone: 'America/New_York', language: 'en' });
    expect(await auditRows(tenant.id, staff.id)).toHaveLength(0);
  });

  it('refuses a language other than en or fr, and a missing idempotency key, naming each', async () => {
    const { tenant, staff, cookie } = await operator();
    const badLanguage = await savePreferences(tenant.id, cookie, { timeZone: 'Europe/Paris', language: 'de', idempotencyKey: `prefs-${randomUUID()}` });
    expect(badLanguage.status).toBe(400);
    expect(((await badLanguage.json()) as { error: string }).error).toBe('language: must be one of en, fr');
    const noKey = await savePreferences(tenant.id, cookie, { timeZone: 'Europe/Paris', language: 'fr' });
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as { error: string }).error).toMatch(/^idempotencyKey: /);
    expect(await stored(staff.id)).toEqual({ timeZone: null, language: 'en' });
    expect(await auditRows(tenant.id, staff.id)).toHaveLength(0);
  });

  it('stores a zone as Intl spells it, whatever its case', async () => {
    const { tenant, staff, cookie } = await operator();
    const saved = await savePreferences(tenant.id, cookie, { timeZone: ' europe/paris ', language: 'en', idempotencyKey: `prefs-${randomUUID()}` });
    expect(saved.status).toBe(200);
    expect(await stored(staff.id)).toEqual({ timeZone: 'Europe/Paris', language: 'en' });
  });

  it('an unchanged form writes no audit row', async () => {
    const { tenant, staff, cookie } = await operator();
    await testDb().staffUser.update({ where: { id: staff.id }, data: { timeZone: 'Asia/Tokyo' } });
    const same = await savePreferences(tenant.id, cookie, { timeZone: 'Asia/Tokyo', language: 'en', idempotencyKey: `prefs-${randomUUID()}` });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ ok: true, result: { changed: false } });
    expect(await auditRows(tenant.id, staff.id)).toHaveLength(0);
  });

  it('another tenant’s URL is a 404 and changes nothing', async () => {
    const { staff, cookie } = await operator();
    const foreign = await makeTenant('Not theirs');
    const refused = await savePreferences(foreign.id, cookie, { timeZone: 'Europe/Paris', language: 'fr', idempotencyKey: `prefs-${randomUUID()}` });
    expect(refused.status).toBe(404);
    expect(await stored(staff.id)).toEqual({ timeZone: null, language: 'en' });
    expect(await testDb().auditLog.count({ where: { actorId: staff.id } })).toBe(0);
  });

  it('the page offers the zones this server knows, the stored one selected, and a fresh form key', async () => {
    const { tenant, staff, cookie } = await operator('oncall');
    await testDb().staffUser.update({ where: { id: staff.id }, data: { timeZone: 'Europe/Paris', language: 'fr' } });
    const request = new Request(`http://localhost/t/${tenant.id}/preferences`, { headers: { Cookie: cookie } });
    const data = (await (await preferencesLoader({ request, params: { tenantId: tenant.id }, context })).json()) as { timeZone: string; language: string; zones: string[]; idempotencyKey: string };
    expect(data).toMatchObject({ timeZone: 'Europe/Paris', language: 'fr' });
    expect(data.zones).toEqual(expect.arrayContaining(['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo']));
    expect(data.idempotencyKey).toMatch(/^prefs-[0-9a-f-]{36}$/);
  });
});

describe('the browser’s zone, sent once', () => {
  it('is stored while none is, with one audit row; a later one (another browser) changes nothing', async () => {
    const { tenant, staff, cookie } = await operator('oncall');
    expect(await layoutData(tenant.id, cookie)).toMatchObject({ timeZone: 'UTC', timeZoneStored: false, language: 'en' });

    const first = await sendBrowserZone(tenant.id, cookie, { timeZone: 'Europe/Paris', idempotencyKey: `tz-${randomUUID()}` });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, result: { changed: true, timeZone: 'Europe/Paris' } });
    expect((await stored(staff.id)).timeZone).toBe('Europe/Paris');
    // Every page of the tenant now writes its dates in it.
    expect(await layoutData(tenant.id, cookie)).toMatchObject({ timeZone: 'Europe/Paris', timeZoneStored: true });

    const other = await sendBrowserZone(tenant.id, cookie, { timeZone: 'America/New_York', idempotencyKey: `tz-${randomUUID()}` });
    expect(other.status).toBe(200);
    expect(await other.json()).toMatchObject({ ok: true, result: { changed: false, timeZone: 'Europe/Paris' } });
    expect((await stored(staff.id)).timeZone).toBe('Europe/Paris');

    const rows = await auditRows(tenant.id, staff.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'preferences:browser-time-zone', outcome: 'ok', targetId: staff.id, detail: { before: { timeZone: null }, after: { timeZone: 'Europe/Paris' } } });
  });

  it('refuses a zone that is not one with a 400 naming it, storing nothing', async () => {
    const { tenant, staff, cookie } = await operator();
    const refused = await sendBrowserZone(tenant.id, cookie, { timeZone: 'Nowhere/Land', idempotencyKey: `tz-${randomUUID()}` });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('timeZone: is not a time zone this server knows (an IANA name such as Europe/Paris)');
    expect((await stored(staff.id)).timeZone).toBeNull();
    expect(await auditRows(tenant.id, staff.id)).toHaveLength(0);
  });

  it('two tabs sending at once store one zone', async () => {
    const { tenant, staff, cookie } = await operator();
    const answers = await Promise.all(['Europe/Paris', 'Europe/Berlin'].map((timeZone) => sendBrowserZone(tenant.id, cookie, { timeZone, idempotencyKey: `tz-${randomUUID()}` })));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const results = (await Promise.all(answers.map((a) => a.json()))) as Array<{ result: { changed: boolean } }>;
    expect(results.filter((r) => r.result.changed)).toHaveLength(1);
    expect(['Europe/Paris', 'Europe/Berlin']).toContain((await stored(staff.id)).timeZone);
  });
});
