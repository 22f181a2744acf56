import { describe, expect, it } from 'vitest';
import { makeStaff, makeTenantContext, tenantContext, testDb } from '../../test-support/factories';
import { changeView, defaultViewFor, listSavedViews, savedViewChangeForm, savedViewFor, saveView, savedViewForm, viewQueryOf, withView } from './views.server';

const form = (fields: Record<string, string>) => savedViewForm.parse({ idempotencyKey: `key-${crypto.randomUUID()}`, ...fields });
const change = (fields: Record<string, string>) => savedViewChangeForm.parse({ idempotencyKey: `key-${crypto.randomUUID()}`, ...fields });
const refusedStatus = (p: Promise<unknown>) => p.then(() => null, (r: Response) => r.status);

describe('saved views of the workflow list', () => {
  it('a shared view is opened by a teammate of the same tenant; a private one and other tenants get 404', async () => {
    const { tenant, ctx: owner } = await makeTenantContext('oncall');
    const mateStaff = await makeStaff({ [tenant.id]: 'support' });
    const mate = tenantContext('support', { tenant, staff: mateStaff });
    const { ctx: stranger } = await makeTenantContext('oncall');

    const query = 'status=Running&a1=TrialDay&o1=ge&v1=7&a2=OnboardingPhase&v2=conversion&a3=Subscribed&v3=false&size=100';
    const shared = await saveView(owner, form({ name: 'Late unsubscribed', query, shared: 'on' }));
    const mine = await saveView(owner, form({ name: 'Mine', query: 'status=Failed' }));
    expect(shared).toMatchObject({ ok: true });
    const idOf = (o: typeof shared) => (o.ok ? o.result.id : 'not saved');
    const sharedId = idOf(shared);
    const privateId = idOf(mine);

    expect(await savedViewFor(mate, sharedId)).toMatchObject({ name: 'Late unsubscribed', query, shared: true, mine: false, ownerEmail: owner.email });
    expect((await listSavedViews(mate)).map((v) => v.name)).toEqual(['Late unsubscribed']);
    expect((await listSavedViews(owner)).map((v) => v.name)).toEqual(['Late unsubscribed', 'Mine']);
    expect(await refusedStatus(savedViewFor(mate, privateId))).toBe(404);
    expect(await refusedStatus(savedViewFor(stranger, sharedId))).toBe(404);
    expect(await listSavedViews(stranger)).toEqual([]);
    expect(await refusedStatus(savedViewFor(mate, 'not-a-uuid'))).toBe(404);

    const row = await testDb().auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: 'view:save', targetId: 'Late unsubscribed' } });
    expect(row).toMatchObject({ outcome: 'ok', actorEmail: owner.email });
  });

  it('refuses a query that could leave the tenant, with nothing stored', async () => {
    const { tenant, ctx } = await makeTenantContext('oncall');
    for (const query of [`q=${encodeURIComponent("WorkflowType != '' OR TenantId = 'x'")}`, 'a1=TrialDay&o1=drop', 'size=5000']) {
      expect(await refusedStatus(saveView(ctx, form({ name: 'bad', query, shared: 'on' })))).toBe(400);
    }
    expect(await testDb().savedView.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it('an admin makes a shared view a role’s default (one per role); others may not', async () => {
    const { tenant, ctx: admin } = await makeTenantContext('admin');
    const oncall = tenantContext('oncall', { tenant, staff: await makeStaff({ [tenant.id]: 'oncall' }) });
    expect(await saveView(oncall, form({ name: 'try', query: 'status=Running', shared: 'on', defaultForRole: 'oncall' }))).toMatchObject({ ok: false, status: 403 });
    expect(await refusedStatus(saveView(admin, form({ name: 'private default', query: 'status=Running', defaultForRole: 'oncall' })))).toBe(400);
    await saveView(admin, form({ name: 'first', query: 'status=Running', shared: 'on', defaultForRole: 'oncall' }));
    await saveView(admin, form({ name: 'second', query: 'status=Failed', shared: 'on', defaultForRole: 'oncall' }));
    expect(await defaultViewFor(oncall)).toMatchObject({ name: 'second' });
    expect(await defaultViewFor(admin)).toBeNull();
  });

  it('its owner updates and deletes a view; a teammate may not (refusal recorded, view unchanged); another tenant gets 404', async () => {
    const { tenant, ctx: owner } = await makeTenantContext('oncall');
    const mate = tenantContext('oncall', { tenant, staff: await makeStaff({ [tenant.id]: 'oncall' }) });
    const { ctx: stranger } = await makeTenantContext('admin');
    const saved = await saveView(owner, form({ name: 'Failed', query: 'status=Failed', shared: 'on' }));
    const id = saved.ok ? saved.result.id : 'not saved';
    const stored = () => testDb().savedView.findUniqueOrThrow({ where: { id } });
    const before = await stored();

    expect(await changeView(mate, id, change({ op: 'update', name: 'Mine now', query: 'status=Running', shared: 'on' }))).toMatchObject({ ok: false, status: 403 });
    expect(await changeView(mate, id, change({ op: 'delete' }))).toMatchObject({ ok: false, status: 403 });
    expect(await refusedStatus(changeView(stranger, id, change({ op: 'delete' })))).toBe(404);
    expect(await stored()).toEqual(before);
    expect(await testDb().auditLog.count({ where: { tenantId: tenant.id, targetId: id, outcome: 'refused' } })).toBe(2);

    expect(await refusedStatus(changeView(owner, id, change({ op: 'update', name: 'x', query: 'size=5000' })))).toBe(400);
    expect(await stored()).toEqual(before);

    expect(await changeView(owner, id, change({ op: 'update', name: 'Running, private', query: 'status=Running&cols=status%2Csa%3ATrialDay' }))).toMatchObject({ ok: true });
    expect(await stored()).toMatchObject({ name: 'Running, private', query: 'status=Running&cols=status%2Csa%3ATrialDay', shared: false });
    expect(await refusedStatus(savedViewFor(mate, id))).toBe(404);
    expect(await changeView(owner, id, change({ op: 'delete' }))).toMatchObject({ ok: true });
    expect(await testDb().savedView.count({ where: { id } })).toBe(0);
    expect(await testDb().auditLog.count({ where: { tenantId: tenant.id, targetId: id, outcome: 'ok', action: { in: ['view:update', 'view:delete'] } } })).toBe(2);
  });

  it('a role’s default stays with the admins: its owner cannot make it private or delete it, an admin can', async () => {
    const { tenant, ctx: admin } = await makeTenantContext('admin');
    const owner = tenantContext('oncall', { tenant, staff: await makeStaff({ [tenant.id]: 'oncall' }) });
    const saved = await saveView(owner, form({ name: 'Team', query: 'status=Running', shared: 'on' }));
    const id = saved.ok ? saved.result.id : 'not saved';
    expect(await changeView(owner, id, change({ op: 'update', name: 'Team', query: 'status=Running', shared: 'on', defaultForRole: 'support' }))).toMatchObject({ ok: false, status: 403 });
    expect(await changeView(admin, id, change({ op: 'update', name: 'Team', query: 'status=Running', shared: 'on', defaultForRole: 'support' }))).toMatchObject({ ok: true });
    const support = tenantContext('support', { tenant, staff: await makeStaff({ [tenant.id]: 'support' }) });
    expect(await defaultViewFor(support)).toMatchObject({ id });
    // The owner edits the filters and the default stays; making it private or deleting it is refused.
    expect(await changeView(owner, id, change({ op: 'update', name: 'Team, failed', query: 'status=Failed', shared: 'on' }))).toMatchObject({ ok: true });
    expect(await defaultViewFor(support)).toMatchObject({ id, query: 'status=Failed' });
    expect(await changeView(owner, id, change({ op: 'update', name: 'Team', query: 'status=Failed' }))).toMatchObject({ ok: false, status: 409 });
    expect(await changeView(owner, id, change({ op: 'delete' }))).toMatchObject({ ok: false, status: 409 });
    expect(await changeView(admin, id, change({ op: 'delete' }))).toMatchObject({ ok: true });
    expect(await defaultViewFor(support)).toBeNull();
  });

  it('keeps the filters of a URL, not its zone, cursor or view id, and applies the viewer’s zone and page', () => {
    expect(viewQueryOf(new URLSearchParams('status=Running&tz=Europe%2FParis&cursor=abc&sv=1&from=2026-11-30T20%3A46&q='))).toBe('status=Running&from=2026-11-30T20%3A46');
    expect(withView('status=Running&size=100', new URLSearchParams('tz=Europe%2FParis&sv=x&cursor=c')).toString()).toBe('status=Running&size=100&tz=Europe%2FParis&cursor=c');
  });
});
