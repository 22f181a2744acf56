import { createHash, randomUUID } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { afterAll, describe, expect, it } from 'vitest';
import { makeStaff, makeTenant, makeTenantContext, sessionCookieFor, tenantContext, testDb, uid } from '../../test-support/factories';
import { createSession, requireTenant, type TenantContext } from '../server/auth.server';
import { db } from '../server/db.server';
import type { Role } from '../server/permissions';
import {
  acceptInvitation, activeAdminIds, changeRole, findInvitation, InvitationError, inviteStaff, listMembers,
  listPendingInvitations, setMemberAccess,
} from './staff.server';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const idem = () => `test-${randomUUID()}`;
const newEmail = () => `invitee-${uid()}@test.vigie`;

async function tenantWithAdmin() {
  const { tenant, staff: admin, ctx } = await makeTenantContext('admin', { tenantName: 'Staff' });
  return { tenant, admin, ctx };
}

async function invite(ctx: TenantContext, email: string, role: Role = 'support') {
  const { outcome, token } = await inviteStaff(ctx, { email, role, idempotencyKey: idem() });
  if (!outcome.ok) throw new Error(outcome.error);
  return { result: outcome.result, token };
}

const invitationError = (p: Promise<unknown>) =>
  p.then(
    () => { throw new Error('expected an InvitationError'); },
    (e: unknown) => {
      if (!(e instanceof InvitationError)) throw e;
      return { status: e.status, message: e.message };
    },
  );

async function membership(tenantId: string, userId: string) {
  const [row] = await db().$queryRaw<{ role: string; disabledAt: Date | null }[]>`
    SELECT role::text AS role, disabled_at AS "disabledAt" FROM memberships WHERE tenant_id = ${tenantId} AND user_id = ${userId}::uuid`;
  return row ?? null;
}

afterAll(async () => {
  await db().$disconnect();
  await testDb().$disconnect();
});

describe('invitations', () => {
  it('invites a new address with a one-time link; accepting creates the account and membership once', async () => {
    const { tenant, ctx } = await tenantWithAdmin();
    const email = newEmail();
    const { outcome, token } = await inviteStaff(ctx, { email: `  ${email.toUpperCase()} `, role: 'finance', idempotencyKey: idem() });
    expect(outcome).toMatchObject({ ok: true, replayed: false });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const stored = await db().staffInvitation.findUniqueOrThrow({ where: { tokenHash: sha256(token!) } });
    expect(stored).toMatchObject({ tenantId: tenant.id, email, role: 'finance', invitedBy: ctx.userId, acceptedAt: null });
    const ttl = stored.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(7 * 86_400_000);
    expect(await listPendingInvitations(tenant.id)).toEqual([expect.objectContaining({ email, role: 'finance', invitedByEmail: ctx.email })]);
    // The token is nowhere at rest: not in the idempotency record, not in the audit row.
    const audit = await db().auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: 'staff:invite' } });
    const record = await db().idempotencyRecord.findUniqueOrThrow({ where: { tenantId_key: { tenantId: tenant.id, key: audit.idempotencyKey! } } });
    expect(JSON.stringify([audit.detail, record.result])).not.toContain(token);
    expect(audit).toMatchObject({ targetType: 'staff', targetId: email, outcome: 'ok' });

    const lookup = await findInvitation(token!);
    expect(lookup).toMatchObject({ status: 'valid', accountExists: false, invitation: { email, role: 'finance', tenantId: tenant.id } });

    expect(await invitationError(acceptInvitation(token!, { kind: 'new', name: 'New Person', password: 'short' }))).toMatchObject({ status: 400 });
    const password = 'a long enough passphrase';
    const { userId, tenantId } = await acceptInvitation(token!, { kind: 'new', name: 'New Person', password });
    expect(tenantId).toBe(tenant.id);
    const user = await db().staffUser.findUniqueOrThrow({ where: { id: userId } });
    expect(user).toMatchObject({ email, name: 'New Person' });
    expect(user.passwordHash).toMatch(/^\$argon2/);
    expect(await verify(user.passwordHash, password)).toBe(true);
    expect(await membership(tenant.id, userId)).toEqual({ role: 'finance', disabledAt: null });
    expect(await db().auditLog.findFirst({ where: { tenantId: tenant.id, action: 'staff:invitation-accept' } })).toMatchObject({
      actorId: userId, actorEmail: email, targetId: email, outcome: 'ok',
    });

    expect(await findInvitation(token!)).toMatchObject({ status: 'used' });
    expect(await invitationError(acceptInvitation(token!, { kind: 'new', name: 'Again', password }))).toMatchObject({ status: 410 });
    expect(await listPendingInvitations(tenant.id)).toEqual([]);
  });

  it('an expired or unknown link is refused with 410 / 404', async () => {
    const { ctx } = await tenantWithAdmin();
    const { token } = await invite(ctx, newEmail());
    await db().staffInvitation.update({ where: { tokenHash: sha256(token!) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await findInvitation(token!)).toMatchObject({ status: 'expired' });
    const expired = await invitationError(acceptInvitation(token!, { kind: 'new', name: 'Late', password: 'a long enough passphrase' }));
    expect(expired).toEqual({ status: 410, message: expect.stringMatching(/expired/) });

    expect(await findInvitation('x'.repeat(43))).toEqual({ status: 'missing' });
    expect(await findInvitation('../../etc')).toEqual({ status: 'missing' });
    expect(await invitationError(acceptInvitation('y'.repeat(43), { kind: 'new', name: 'Nobody', password: 'a long enough passphrase' }))).toMatchObject({ status: 404 });
  });

  it('inviting the same address again replaces the pending link', async () => {
    const { ctx } = await tenantWithAdmin();
    const email = newEmail();
    const first = await invite(ctx, email);
    const second = await invite(ctx, email, 'oncall');
    expect(await findInvitation(first.token!)).toMatchObject({ status: 'expired' });
    expect(await findInvitation(second.token!)).toMatchObject({ status: 'valid', invitation: { role: 'oncall' } });
  });

  it('an existing account is added directly, and only once', async () => {
    const { tenant, ctx } = await tenantWithAdmin();
    const elsewhere = await makeTenant('Elsewhere');
    const person = await makeStaff({ [elsewhere.id]: 'support' });
    const { result, token } = await invite(ctx, person.email, 'oncall');
    expect(token).toBeNull();
    expect(result.invitationId).toBeUndefined();
    expect(result.message).toMatch(/added as oncall/);
    expect(await membership(tenant.id, person.id)).toEqual({ role: 'oncall', disabledAt: null });

    const again = await inviteStaff(ctx, { email: person.email, role: 'admin', idempotencyKey: idem() });
    expect(again.outcome).toMatchObject({ ok: false, status: 409 });
    expect(await membership(tenant.id, person.id)).toMatchObject({ role: 'oncall' });
  });

  it('an invitation to an address that has an account by then needs that account, never sets its password', async () => {
    const { tenant, ctx } = await tenantWithAdmin();
    const email = newEmail();
    const { token } = await invite(ctx, email);
    const existing = await db().staffUser.create({ data: { email, name: 'Already Here', passwordHash: 'argon2-hash-kept' } });
    expect(await findInvitation(token!)).toMatchObject({ status: 'valid', accountExists: true });

    const refused = await invitationError(acceptInvitation(token!, { kind: 'new', name: 'Takeover', password: 'a long enough passphrase' }));
    expect(refused.status).toBe(409);
    expect(await findInvitation(token!)).toMatchObject({ status: 'valid' });

    const other = await makeStaff({});
    expect(await invitationError(acceptInvitation(token!, { kind: 'existing', userId: other.id }))).toMatchObject({ status: 403 });

    await acceptInvitation(token!, { kind: 'existing', userId: existing.id });
    expect(await membership(tenant.id, existing.id)).toMatchObject({ role: 'support' });
    expect((await db().staffUser.findUniqueOrThrow({ where: { id: existing.id } })).passwordHash).toBe('argon2-hash-kept');
  });
});

describe('roles and access', () => {
  it('the last admin cannot demote or disable themselves (409), and nothing changes', async () => {
    const { tenant, admin, ctx } = await tenantWithAdmin();
    const demote = await changeRole(ctx, { email: admin.email, role: 'support', idempotencyKey: idem() });
    expect(demote).toMatchObject({ ok: false, status: 409 });
    expect(!demote.ok && demote.error).toMatch(/last admin/);
    const disable = await setMemberAccess(ctx, { email: admin.email, disabled: true, idempotencyKey: idem() });
    expect(disable).toMatchObject({ ok: false, status: 409 });
    expect(await membership(tenant.id, admin.id)).toEqual({ role: 'admin', disabledAt: null });
    expect(await db().auditLog.count({ where: { tenantId: tenant.id, outcome: 'refused', action: { in: ['staff:role', 'staff:disable'] } } })).toBe(2);
  });

  it('with a second admin, an admin can step down', async () => {
    const { tenant, admin, ctx } = await tenantWithAdmin();
    const other = await makeStaff({ [tenant.id]: 'admin' });
    const outcome = await changeRole(ctx, { email: admin.email, role: 'oncall', reason: 'handing over', idempotencyKey: idem() });
    expect(outcome).toMatchObject({ ok: true });
    expect(await membership(tenant.id, admin.id)).toMatchObject({ role: 'oncall' });
    expect(await activeAdminIds(tenant.id)).toEqual([other.id]);
    expect(await db().auditLog.findFirst({ where: { tenantId: tenant.id, action: 'staff:role' } })).toMatchObject({
      targetId: admin.email, reason: 'handing over', outcome: 'ok', detail: { role: 'oncall' },
    });
  });

  it('two admins stepping down at the same moment leave one admin', async () => {
    const { tenant, admin, ctx } = await tenantWithAdmin();
    const other = await makeStaff({ [tenant.id]: 'admin' });
    const otherCtx = tenantContext('admin', { tenant, staff: other });
    const outcomes = await Promise.all([
      changeRole(ctx, { email: admin.email, role: 'support', idempotencyKey: idem() }),
      setMemberAccess(otherCtx, { email: other.email, disabled: true, idempotencyKey: idem() }),
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.status === 409)).toHaveLength(1);
    expect(await activeAdminIds(tenant.id)).toHaveLength(1);
  });

  it('disables and enables a member of this tenant only', async () => {
    const { tenant, ctx } = await tenantWithAdmin();
    const elsewhere = await makeTenant('Elsewhere');
    const agent = await makeStaff({ [tenant.id]: 'support', [elsewhere.id]: 'support' });

    expect(await setMemberAccess(ctx, { email: agent.email, disabled: true, reason: 'left the team', idempotencyKey: idem() })).toMatchObject({ ok: true });
    expect((await membership(tenant.id, agent.id))?.disabledAt).toBeInstanceOf(Date);
    expect(await membership(elsewhere.id, agent.id)).toEqual({ role: 'support', disabledAt: null });
    const members = await listMembers(tenant.id);
    expect(members.find((m) => m.userId === agent.id)).toMatchObject({ email: agent.email, role: 'support', disabledAt: expect.any(Date) });
    // Active members are listed first.
    expect(members.at(-1)?.userId).toBe(agent.id);

    expect(await setMemberAccess(ctx, { email: agent.email, disabled: false, idempotencyKey: idem() })).toMatchObject({ ok: true });
    expect(await membership(tenant.id, agent.id)).toEqual({ role: 'support', disabledAt: null });

    const stranger = await makeStaff({ [elsewhere.id]: 'admin' });
    const outcome = await setMemberAccess(ctx, { email: stranger.email, disabled: true, idempotencyKey: idem() });
    expect(outcome).toMatchObject({ ok: false, status: 404 });
    expect(await membership(elsewhere.id, stranger.id)).toEqual({ role: 'admin', disabledAt: null });
  });

  it('lists last sign-in from sessions', async () => {
    const { tenant, admin } = await tenantWithAdmin();
    expect((await listMembers(tenant.id))[0].lastSignInAt).toBeNull();
    await createSession(admin.id, tenant.id);
    expect((await listMembers(tenant.id))[0].lastSignInAt).toBeInstanceOf(Date);
  });

  // Needs the one-line change to getStaff in auth.server.ts described in docs/decisions/020:
  // until it is applied, this test fails, because a disabled membership still opens the tenant.
  it('a disabled membership opens nothing: requireTenant answers 404', async () => {
    const { tenant, ctx } = await tenantWithAdmin();
    const agent = await makeStaff({ [tenant.id]: 'support' });
    const { header: cookie } = await sessionCookieFor(agent, tenant.id);
    const request = () => new Request(`http://localhost/t/${tenant.id}`, { headers: { Cookie: cookie } });
    expect((await requireTenant(request(), tenant.id)).role).toBe('support');

    await setMemberAccess(ctx, { email: agent.email, disabled: true, idempotencyKey: idem() });
    const refused = await requireTenant(request(), tenant.id).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(404);
  });
});
