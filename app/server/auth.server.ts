// Staff authentication: argon2 hashes, server-side sessions behind an http-only cookie,
// login rate-limited per account and per address, tenant and permission checks.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { createCookie, redirect } from '@remix-run/node';
import { db } from './db.server';
import { env } from './env.server';
import { invariantResponse, requireSameOrigin } from './http.server';
import { can, type Permission, type Role } from './permissions';

export const sessionCookie = createCookie('vigie_session', {
  httpOnly: true,
  sameSite: 'lax',
  path: '/',
  secure: env().PUBLIC_URL.startsWith('https://'),
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function hashPassword(password: string) {
  return hash(password);
}

// A fixed hash to verify against when the account doesn't exist, so timing does not reveal it.
let dummyHash: Promise<string> | undefined;

export class RateLimitedError extends Error {
  constructor(public retryAfterSeconds: number) {
    super('Too many failed sign-in attempts. Try again later.');
  }
}

async function recentFailures(key: string, since: Date) {
  return db().loginAttempt.count({ where: { key, succeeded: false, at: { gte: since } } });
}

/** Returns the user id on success, null on any wrong email/password; throws RateLimitedError. */
export async function verifyLogin(emailInput: string, password: string, clientAddress: string) {
  const email = emailInput.trim().toLowerCase();
  const e = env();
  const since = new Date(Date.now() - e.LOGIN_WINDOW_MINUTES * 60_000);
  const keys = [`email:${email}`, `ip:${clientAddress}`];
  const [byEmail, byIp] = await Promise.all(keys.map((k) => recentFailures(k, since)));
  // An address gets more room than an account: several staff may share an office NAT.
  if (byEmail >= e.LOGIN_MAX_FAILURES || byIp >= e.LOGIN_MAX_FAILURES * 4) {
    throw new RateLimitedError(e.LOGIN_WINDOW_MINUTES * 60);
  }
  const user = await db().staffUser.findUnique({ where: { email } });
  dummyHash ??= hash('not-a-real-password');
  const ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
  const succeeded = Boolean(user && ok && !user.disabledAt);
  await db().loginAttempt.createMany({ data: keys.map((key) => ({ key, succeeded })) });
  return succeeded ? user!.id : null;
}

export async function createSession(userId: string, tenantId: string) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + env().SESSION_TTL_HOURS * 3600_000);
  await db().session.create({ data: { tokenHash: sha256(token), userId, tenantId, expiresAt } });
  return { token, expiresAt };
}

export async function commitSessionCookie(token: string, expiresAt: Date) {
  return sessionCookie.serialize(token, { expires: expiresAt });
}

export async function destroySession(request: Request) {
  const token = await sessionCookie.parse(request.headers.get('Cookie'));
  if (typeof token === 'string') await db().session.deleteMany({ where: { tokenHash: sha256(token) } });
  return sessionCookie.serialize('', { maxAge: 0 });
}

export interface StaffContext {
  userId: string;
  email: string;
  name: string;
  sessionId: string;
  /** The tenant last opened in this session. */
  sessionTenantId: string;
  memberships: { tenantId: string; tenantName: string; role: Role }[];
}

// Loaders of one request run in parallel and each asks who is signed in: answer once.
const staffByRequest = new WeakMap<Request, Promise<StaffContext | null>>();

export function getStaff(request: Request): Promise<StaffContext | null> {
  let found = staffByRequest.get(request);
  if (!found) {
    found = loadStaff(request);
    staffByRequest.set(request, found);
  }
  return found;
}

async function loadStaff(request: Request): Promise<StaffContext | null> {
  const token = await sessionCookie.parse(request.headers.get('Cookie'));
  if (typeof token !== 'string' || !token) return null;
  // One round trip for session, user and memberships: this runs on every page.
  const rows = await db().$queryRaw<
    { session_id: string; session_tenant: string; user_id: string; email: string; name: string; tenant_id: string | null; tenant_name: string | null; role: Role | null }[]
  >`SELECT s.id AS session_id, s.tenant_id AS session_tenant, u.id AS user_id, u.email, u.name,
           m.tenant_id, t.name AS tenant_name, m.role::text AS role
      FROM sessions s
      JOIN staff_users u ON u.id = s.user_id AND u.disabled_at IS NULL
      LEFT JOIN memberships m ON m.user_id = u.id AND m.disabled_at IS NULL
      LEFT JOIN tenants t ON t.id = m.tenant_id
     WHERE s.token_hash = ${sha256(token)} AND s.expires_at > now()
     ORDER BY m.tenant_id`;
  const first = rows[0];
  if (!first) return null;
  return {
    userId: first.user_id,
    email: first.email,
    name: first.name,
    sessionId: first.session_id,
    sessionTenantId: first.session_tenant,
    memberships: rows.filter((r) => r.tenant_id).map((r) => ({ tenantId: r.tenant_id!, tenantName: r.tenant_name!, role: r.role! })),
  };
}

export async function requireStaff(request: Request): Promise<StaffContext> {
  requireSameOrigin(request);
  const staff = await getStaff(request);
  if (!staff) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return staff;
}

export interface TenantContext extends StaffContext {
  tenantId: string;
  tenantName: string;
  role: Role;
}

/** The staff member's membership in the URL's tenant; any other tenant is a 404, never a hint. */
export async function requireTenant(request: Request, tenantId: string | undefined): Promise<TenantContext> {
  const staff = await requireStaff(request);
  const m = staff.memberships.find((x) => x.tenantId === tenantId);
  invariantResponse(m, 'Not found', 404);
  return { ...staff, tenantId: m.tenantId, tenantName: m.tenantName, role: m.role };
}

export function requirePermission(ctx: TenantContext, permission: Permission) {
  invariantResponse(can(ctx.role, permission), `Your role (${ctx.role}) does not allow ${permission}`, 403);
}

export async function requireTenantPermission(request: Request, tenantId: string | undefined, permission: Permission) {
  const ctx = await requireTenant(request, tenantId);
  requirePermission(ctx, permission);
  return ctx;
}
