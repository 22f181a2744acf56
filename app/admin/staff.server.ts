// A tenant's staff: members and their roles, invitations by one-time link, disabling a
// member's access to the tenant. Every change by an admin goes through runAuditedAction.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Prisma } from '../../prisma/db';
import { db } from '../server/db.server';
import { forgetStaff, hashPassword, type TenantContext } from '../server/auth.server';
import { ActionRefused, idempotencyKeySchema, runAuditedAction, type ActionOutcome } from '../server/audited-action.server';
import * as field from '../server/fields';
import type { Role } from '../server/permissions';
import { currentRequestId } from '../../ops/log/request-id.js';
import { serverT } from '../i18n/server-t.server';

export const INVITATION_TTL_DAYS = 7;
export const MIN_PASSWORD_LENGTH = 12;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

type Tx = Prisma.TransactionClient;

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  memberSince: Date;
  disabledAt: Date | null;
  accountDisabledAt: Date | null;
  lastSignInAt: Date | null;
}

/**
 * The tenant's members, active first. Last sign-in is the newest of the user's sessions and
 * successful form sign-ins (a session row goes away at sign-out, a login attempt does not).
 */
export async function listMembers(tenantId: string): Promise<Member[]> {
  // Raw SQL: memberships.disabled_at is not in the Prisma model yet (see docs/decisions/020).
  return db().$queryRaw<Member[]>`
    SELECT u.id::text AS "userId", u.email, u.name, m.role::text AS role, m.created_at AS "memberSince",
           m.disabled_at AS "disabledAt", u.disabled_at AS "accountDisabledAt",
           GREATEST(
             (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id),
             (SELECT max(a.at) FROM login_attempts a WHERE a.key = 'email:' || u.email AND a.succeeded)
           ) AS "lastSignInAt"
    FROM memberships m JOIN staff_users u ON u.id = m.user_id
    WHERE m.tenant_id = ${tenantId}
    ORDER BY (m.disabled_at IS NOT NULL), lower(u.name), u.email`;
}

export async function listPendingInvitations(tenantId: string) {
  const invitations = await db().staffInvitation.findMany({
    where: { tenantId, acceptedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, email: true, role: true, invitedBy: true, createdAt: true, expiresAt: true },
  });
  const inviters = await db().staffUser.findMany({
    where: { id: { in: [...new Set(invitations.map((i) => i.invitedBy))] } },
    select: { id: true, email: true },
  });
  const emailOf = new Map(inviters.map((u) => [u.id, u.email]));
  return invitations.map((i) => ({ ...i, invitedByEmail: emailOf.get(i.invitedBy) ?? null }));
}

/** Ids of the tenant's admins who can still act as admin (membership and account enabled). */
export async function activeAdminIds(tenantId: string, tx: Tx | ReturnType<typeof db> = db(), lock = false): Promise<string[]> {
  const rows = lock
    ? await tx.$queryRaw<{ userId: string }[]>`
        SELECT m.user_id::text AS "userId" FROM memberships m JOIN staff_users u ON u.id = m.user_id
        WHERE m.tenant_id = ${tenantId} AND m.role = 'admin' AND m.disabled_at IS NULL AND u.disabled_at IS NULL
        FOR UPDATE OF m`
    : await tx.$queryRaw<{ userId: string }[]>`
        SELECT m.user_id::text AS "userId" FROM memberships m JOIN staff_users u ON u.id = m.user_id
        WHERE m.tenant_id = ${tenantId} AND m.role = 'admin' AND m.disabled_at IS NULL AND u.disabled_at IS NULL`;
  return rows.map((r) => r.userId);
}

interface MembershipRow { id: string; userId: string; email: string; role: Role; disabledAt: Date | null }

/** The admin namespace's t() in the acting admin's language, and a role in words. */
function adminWords(ctx: TenantContext) {
  const t = serverT(ctx.language, 'admin');
  return { t, role: (role: Role) => t(`role.${role}`) };
}

async function lockMembership(tx: Tx, ctx: TenantContext, email: string): Promise<MembershipRow> {
  const tenantId = ctx.tenantId;
  // Staff changes of one tenant take the tenant's row first, so they run one after the other.
  // Without it two admins stepping down at once could deadlock: each held its own membership and
  // waited for the other's in guardLastAdmin (PostgreSQL then aborted one: a 502, not the 409).
  await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
  const [row] = await tx.$queryRaw<MembershipRow[]>`
    SELECT m.id::text AS id, u.id::text AS "userId", u.email, m.role::text AS role, m.disabled_at AS "disabledAt"
    FROM memberships m JOIN staff_users u ON u.id = m.user_id
    WHERE m.tenant_id = ${tenantId} AND u.email = ${email}
    FOR UPDATE OF m`;
  if (!row) throw new ActionRefused(adminWords(ctx).t('staff.notMember', { email }), 404);
  return row;
}

/**
 * Takes the tenant's admin memberships under row locks, so two admins demoting or disabling
 * each other at the same moment cannot leave the tenant with none: the second waits, then
 * sees the first's change.
 */
async function guardLastAdmin(tx: Tx, ctx: TenantContext, target: MembershipRow, what: 'whatChangeRole' | 'whatDisable') {
  const admins = await activeAdminIds(ctx.tenantId, tx, true);
  if (admins.length <= 1 && admins.includes(target.userId)) {
    const { t } = adminWords(ctx);
    throw new ActionRefused(t('staff.lastAdminRefused', { email: target.email, what: t(`staff.${what}`) }), 409);
  }
}

interface StaffActionInput { reason?: string | null; idempotencyKey: string }

/** The invite and role-change forms: who, which role, and why (optional). */
export const memberRoleForm = z.object({ idempotencyKey: idempotencyKeySchema, email: field.email, role: field.role, reason: field.reasonOptional });

export const memberAccessForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  email: field.email,
  access: z.enum(['disable', 'enable'], { errorMap: () => ({ message: 'must be disable or enable' }) }),
  reason: field.reasonOptional,
});

export async function changeRole(ctx: TenantContext, input: StaffActionInput & { email: string; role: Role }) {
  const email = normalizeEmail(input.email);
  const { t, role } = adminWords(ctx);
  let changed: string | undefined;
  const outcome = await runAuditedAction(
    ctx,
    { action: 'staff:role', targetType: 'staff', targetId: email, reason: input.reason, idempotencyKey: input.idempotencyKey, detail: { role: input.role } },
    () =>
      db().$transaction(async (tx) => {
        const m = await lockMembership(tx, ctx, email);
        if (m.role === input.role) return { message: t('staff.sameRole', { email, role: role(input.role) }) };
        if (m.role === 'admin' && !m.disabledAt) await guardLastAdmin(tx, ctx, m, 'whatChangeRole');
        await tx.membership.update({ where: { id: m.id }, data: { role: input.role } });
        changed = m.userId;
        return { message: t('staff.roleChanged', { email, role: role(input.role), was: role(m.role) }) };
      }),
  );
  // Committed: their next request, in this process, has the new role (others: within SESSION_CACHE_MS).
  if (changed) forgetStaff(changed);
  return outcome;
}

export async function setMemberAccess(ctx: TenantContext, input: StaffActionInput & { email: string; disabled: boolean }) {
  const email = normalizeEmail(input.email);
  const { t, role } = adminWords(ctx);
  let changed: string | undefined;
  const outcome = await runAuditedAction(
    ctx,
    { action: input.disabled ? 'staff:disable' : 'staff:enable', targetType: 'staff', targetId: email, reason: input.reason, idempotencyKey: input.idempotencyKey },
    () =>
      db().$transaction(async (tx) => {
        const m = await lockMembership(tx, ctx, email);
        if (Boolean(m.disabledAt) === input.disabled) {
          return { message: t(input.disabled ? 'staff.alreadyDisabled' : 'staff.alreadyEnabled', { email }) };
        }
        if (input.disabled && m.role === 'admin') await guardLastAdmin(tx, ctx, m, 'whatDisable');
        await tx.$executeRaw`UPDATE memberships SET disabled_at = ${input.disabled ? new Date() : null} WHERE id = ${m.id}::uuid`;
        changed = m.userId;
        return {
          message: input.disabled ? t('staff.disabledDone', { email }) : t('staff.enabledDone', { email, role: role(m.role) }),
        };
      }),
  );
  if (changed) forgetStaff(changed);
  return outcome;
}

export interface InviteResult {
  message: string;
  /** Set when a pending invitation was made; absent when an existing account was added directly. */
  invitationId?: string;
  expiresAt?: string;
}

/**
 * Adds an existing account to the tenant, or creates a pending invitation. The invitation's
 * token is returned beside the outcome, never inside it: the outcome is stored for replays
 * and only the token's sha256 may be kept.
 */
export async function inviteStaff(
  ctx: TenantContext,
  input: StaffActionInput & { email: string; role: Role },
): Promise<{ outcome: ActionOutcome<InviteResult>; token: string | null }> {
  const email = normalizeEmail(input.email);
  const { t, role } = adminWords(ctx);
  let token: string | null = null;
  let added: string | undefined;
  const outcome = await runAuditedAction<InviteResult>(
    ctx,
    { action: 'staff:invite', targetType: 'staff', targetId: email, reason: input.reason, idempotencyKey: input.idempotencyKey, detail: { role: input.role } },
    () =>
      db().$transaction(async (tx) => {
        const user = await tx.staffUser.findUnique({ where: { email } });
        if (user) {
          if (user.disabledAt) throw new ActionRefused(t('staff.accountDisabledRefused', { email }), 409);
          const [existing] = await tx.$queryRaw<{ role: Role; disabledAt: Date | null }[]>`
            SELECT role::text AS role, disabled_at AS "disabledAt" FROM memberships
            WHERE tenant_id = ${ctx.tenantId} AND user_id = ${user.id}::uuid FOR UPDATE`;
          if (existing?.disabledAt) throw new ActionRefused(t('staff.disabledMember', { email }), 409);
          if (existing) throw new ActionRefused(t('staff.alreadyMemberAs', { email, role: role(existing.role) }), 409);
          await tx.membership.create({ data: { tenantId: ctx.tenantId, userId: user.id, role: input.role } }).catch((error: unknown) => {
            // Another admin added them between our read and this insert.
            if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
              throw new ActionRefused(t('staff.alreadyMember', { email }), 409);
            }
            throw error;
          });
          added = user.id;
          return { message: t('staff.added', { email, role: role(input.role) }) };
        }
        const now = new Date();
        // A new invitation replaces any pending one for the same address: only the latest link works.
        await tx.staffInvitation.updateMany({
          where: { tenantId: ctx.tenantId, email, acceptedAt: null, expiresAt: { gt: now } },
          data: { expiresAt: now },
        });
        const secret = randomBytes(32).toString('base64url');
        const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
        const invitation = await tx.staffInvitation.create({
          data: { tenantId: ctx.tenantId, email, role: input.role, tokenHash: sha256(secret), invitedBy: ctx.userId, expiresAt },
        });
        token = secret;
        return {
          message: t('staff.invited', { email, role: role(input.role), days: INVITATION_TTL_DAYS }),
          invitationId: invitation.id,
          expiresAt: expiresAt.toISOString(),
        };
      }),
  );
  if (added) forgetStaff(added);
  if (outcome.ok && outcome.replayed && outcome.result.invitationId) {
    outcome.result = {
      ...outcome.result,
      message: t('staff.invitedReplay', { email }),
    };
  }
  return { outcome, token };
}

export type InvitationLookup =
  | { status: 'missing' }
  | { status: 'used' | 'expired'; tenantName: string }
  | {
      status: 'valid';
      invitation: { id: string; email: string; role: Role; tenantId: string; tenantName: string; expiresAt: Date };
      /** An account with this email exists: accepting needs its password, never sets a new one. */
      accountExists: boolean;
    };

export async function findInvitation(token: string): Promise<InvitationLookup> {
  if (!TOKEN_SHAPE.test(token)) return { status: 'missing' };
  const inv = await db().staffInvitation.findUnique({ where: { tokenHash: sha256(token) } });
  if (!inv) return { status: 'missing' };
  const tenant = await db().tenant.findUnique({ where: { id: inv.tenantId } });
  if (!tenant) return { status: 'missing' };
  if (inv.acceptedAt) return { status: 'used', tenantName: tenant.name };
  if (inv.expiresAt <= new Date()) return { status: 'expired', tenantName: tenant.name };
  const account = await db().staffUser.findUnique({ where: { email: inv.email }, select: { id: true } });
  return {
    status: 'valid',
    invitation: { id: inv.id, email: inv.email, role: inv.role, tenantId: inv.tenantId, tenantName: tenant.name, expiresAt: inv.expiresAt },
    accountExists: Boolean(account),
  };
}

/** Why an invitation could not be accepted, with the HTTP status the page answers. */
export class InvitationError extends Error {
  constructor(message: string, public status: number) {
    super(message);
  }
}

export type Acceptance =
  | { kind: 'new'; name: string; password: string }
  /** The caller has checked the existing account's password (verifyLogin, rate-limited). */
  | { kind: 'existing'; userId: string };

const invitationGone = (lookup: InvitationLookup) =>
  lookup.status === 'used'
    ? new InvitationError('This invitation link was already used. Sign in instead, or ask your admin for a new invitation.', 410)
    : lookup.status === 'expired'
      ? new InvitationError('This invitation link has expired. Ask your admin for a new invitation.', 410)
      : new InvitationError('This invitation link is not valid.', 404);

/**
 * Accepts an invitation once: claims it, creates the account (or uses the verified existing
 * one) and the membership, and writes the audit row, all in one transaction.
 */
export async function acceptInvitation(token: string, acceptance: Acceptance): Promise<{ userId: string; tenantId: string }> {
  const lookup = await findInvitation(token);
  if (lookup.status !== 'valid') throw invitationGone(lookup);
  const { invitation } = lookup;
  if (acceptance.kind === 'new' && acceptance.password.length < MIN_PASSWORD_LENGTH) {
    throw new InvitationError(`password: use at least ${MIN_PASSWORD_LENGTH} characters.`, 400);
  }
  // argon2 is slow on purpose: hash before the transaction so it holds no locks meanwhile.
  const passwordHash = acceptance.kind === 'new' ? await hashPassword(acceptance.password) : null;

  const accepted = await db().$transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx.staffInvitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (claimed.count === 0) throw invitationGone(await findInvitation(token));

    let userId: string;
    if (acceptance.kind === 'new') {
      if (await tx.staffUser.findUnique({ where: { email: invitation.email } })) {
        throw new InvitationError('An account with this email exists now: reload the page and sign in with its password.', 409);
      }
      const user = await tx.staffUser.create({ data: { email: invitation.email, name: acceptance.name, passwordHash: passwordHash! } });
      userId = user.id;
    } else {
      const user = await tx.staffUser.findUnique({ where: { id: acceptance.userId } });
      if (!user || user.email !== invitation.email) throw new InvitationError('This invitation is for another email address.', 403);
      if (user.disabledAt) throw new InvitationError('This Vigie account is disabled.', 403);
      userId = user.id;
    }

    const [existing] = await tx.$queryRaw<{ disabledAt: Date | null }[]>`
      SELECT disabled_at AS "disabledAt" FROM memberships
      WHERE tenant_id = ${invitation.tenantId} AND user_id = ${userId}::uuid FOR UPDATE`;
    if (existing?.disabledAt) throw new InvitationError('Your access to this tenant has been disabled by an admin.', 403);
    if (!existing) await tx.membership.create({ data: { tenantId: invitation.tenantId, userId, role: invitation.role } });

    await tx.auditLog.create({
      data: {
        requestId: currentRequestId(),
        tenantId: invitation.tenantId,
        actorId: userId,
        actorEmail: invitation.email,
        action: 'staff:invitation-accept',
        targetType: 'staff',
        targetId: invitation.email,
        outcome: 'ok',
        detail: { invitationId: invitation.id, role: invitation.role, newAccount: acceptance.kind === 'new', alreadyMember: Boolean(existing) },
      },
    });
    return { userId, tenantId: invitation.tenantId };
  });
  // An existing account signed in elsewhere sees its new tenant on its next request.
  forgetStaff(accepted.userId);
  return accepted;
}
