// Staff authentication: argon2 hashes, server-side sessions behind an http-only cookie,
// login rate-limited per account and per address, tenant and permission checks.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { createCookie, redirect } from '@remix-run/node';
import { db } from './db.server';
import { env } from './env.server';
import { recordRefusal } from './audited-action.server';
import { requireCleanUrl } from './hygiene.server';
import { invariantResponse, requireSameOrigin } from './http.server';
import { can, type Permission, type Role } from './permissions';
import { serverT } from '../i18n/server-t.server';
import { rememberLanguage } from '../i18n/request-language.server';
import { asLanguage, type Language } from '../preferences/languages';
import { SessionCache } from './session-cache.server';

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

/**
 * Counts this attempt before the password is checked, under a transaction-scoped advisory lock
 * per key: parallel attempts queue on the lock, so the limit holds exactly (check-then-act
 * would let every attempt of a burst through). The attempt is recorded as a failure and
 * turned into a success only once the password is verified.
 */
async function claimAttempt(keys: string[], limits: number[], since: Date): Promise<bigint[]> {
  return db().$transaction(async (tx) => {
    // Sorted, so two requests sharing both keys take the locks in the same order.
    const order = keys.map((k, i) => [k, i] as const).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [k] of order) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'login:' + k}, 0))`;
    const failures = await Promise.all(
      keys.map((key) => tx.loginAttempt.findMany({ where: { key, succeeded: false, at: { gte: since } }, select: { at: true }, orderBy: { at: 'asc' } })),
    );
    const over = failures.findIndex((f, i) => f.length >= limits[i]);
    if (over >= 0) {
      // Retry when the oldest failure still counted leaves the window.
      const oldest = failures[over][failures[over].length - limits[over]]?.at ?? new Date();
      throw new RateLimitedError(Math.max(1, Math.ceil((oldest.getTime() - since.getTime()) / 1000)));
    }
    const made = await Promise.all(keys.map((key) => tx.loginAttempt.create({ data: { key, succeeded: false }, select: { id: true } })));
    return made.map((m) => m.id);
  });
}

/** Returns the user id on success, null on any wrong email/password; throws RateLimitedError. */
export async function verifyLogin(emailInput: string, password: string, clientAddress: string) {
  const email = emailInput.trim().toLowerCase();
  const e = env();
  const since = new Date(Date.now() - e.LOGIN_WINDOW_MINUTES * 60_000);
  // An address gets more room than an account: several staff may share an office NAT.
  const attemptIds = await claimAttempt([`email:${email}`, `ip:${clientAddress}`], [e.LOGIN_MAX_FAILURES, e.LOGIN_MAX_FAILURES * 4], since);
  const user = await db().staffUser.findUnique({ where: { email } });
  dummyHash ??= hash('not-a-real-password');
  const ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
  const succeeded = Boolean(user && ok && !user.disabledAt);
  if (succeeded) await db().loginAttempt.updateMany({ where: { id: { in: attemptIds } }, data: { succeeded: true } });
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
  if (typeof token === 'string') {
    await db().session.deleteMany({ where: { tokenHash: sha256(token) } });
    sessions.forgetToken(sha256(token));
  }
  return sessionCookie.serialize('', { maxAge: 0 });
}

export interface StaffContext {
  userId: string;
  email: string;
  name: string;
  sessionId: string;
  /** The tenant last opened in this session. */
  sessionTenantId: string;
  /** The operator's IANA time zone; null until their browser has sent its own (app/preferences). */
  timeZone: string | null;
  language: Language;
  /** Where login brings them back (app/navigation/landing.server.ts): read here, so an unchanged page costs no query. */
  lastTenantId: string | null;
  lastPath: string | null;
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

// A few seconds per process (session-cache.server.ts says the bound and who forgets what).
const sessions = new SessionCache<StaffContext>(() => env().SESSION_CACHE_MS);

/** After a write to a staff member's account, memberships or page: their next request reads it afresh. */
export function forgetStaff(userId: string) {
  sessions.forgetUser(userId);
}

/** The page a staff member is on now was written to their row (app/navigation/landing.server.ts): remembered sessions hold it too. */
export function rememberStaffPage(userId: string, lastTenantId: string, lastPath: string) {
  sessions.patchUser(userId, { lastTenantId, lastPath });
}

async function loadStaff(request: Request): Promise<StaffContext | null> {
  const token = await sessionCookie.parse(request.headers.get('Cookie'));
  if (typeof token !== 'string' || !token) return null;
  const tokenHash = sha256(token);
  const remembered = sessions.get(tokenHash);
  // A copy: callers may not change what the next request is given.
  if (remembered) return { ...remembered, memberships: remembered.memberships.map((m) => ({ ...m })) };
  const generation = sessions.begin();
  // One round trip for session, user and memberships: this runs on every page.
  const rows = await db().$queryRaw<
    { session_id: string; session_tenant: string; expires_at: Date; user_id: string; email: string; name: string; time_zone: string | null; language: string; last_tenant_id: string | null; last_path: string | null; tenant_id: string | null; tenant_name: string | null; role: Role | null }[]
  >`SELECT s.id AS session_id, s.tenant_id AS session_tenant, s.expires_at, u.id AS user_id, u.email, u.name, u.time_zone, u.language, u.last_tenant_id, u.last_path,
           m.tenant_id, t.name AS tenant_name, m.role::text AS role
      FROM sessions s
      JOIN staff_users u ON u.id = s.user_id AND u.disabled_at IS NULL
      LEFT JOIN memberships m ON m.user_id = u.id AND m.disabled_at IS NULL
      LEFT JOIN tenants t ON t.id = m.tenant_id
     WHERE s.token_hash = ${tokenHash} AND s.expires_at > now()
     ORDER BY m.tenant_id`;
  const first = rows[0];
  if (!first) return null;
  const staff: StaffContext = {
    userId: first.user_id,
    email: first.email,
    name: first.name,
    sessionId: first.session_id,
    sessionTenantId: first.session_tenant,
    timeZone: first.time_zone,
    language: asLanguage(first.language),
    lastTenantId: first.last_tenant_id,
    lastPath: first.last_path,
    memberships: rows.filter((r) => r.tenant_id).map((r) => ({ tenantId: r.tenant_id!, tenantName: r.tenant_name!, role: r.role! })),
  };
  sessions.set(tokenHash, generation, { value: { ...staff, memberships: staff.memberships.map((m) => ({ ...m })) }, userId: staff.userId, expiresAt: first.expires_at });
  return staff;
}

export async function requireStaff(request: Request): Promise<StaffContext> {
  requireSameOrigin(request);
  // Every route parameter and query parameter is clean text before any lookup.
  requireCleanUrl(request);
  const staff = await getStaff(request);
  if (!staff) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  rememberLanguage(request, staff.language);
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
  invariantResponse(m, serverT(staff.language, 'common')('answer.notFound'), 404);
  return { ...staff, tenantId: m.tenantId, tenantName: m.tenantName, role: m.role };
}

/**
 * A 403 when the role lacks the permission. When `request` is a state-changing one, the refused
 * attempt is recorded in the audit log first (within the per-person budget).
 */
export async function requirePermission(ctx: TenantContext, permission: Permission, request?: Request) {
  if (can(ctx.role, permission)) return;
  const t = serverT(ctx.language, 'common');
  const message = t('permission.refused', { role: t(`roles.${ctx.role}`), what: t(`permission.${permission}`, { nsSeparator: false }) });
  if (request && !['GET', 'HEAD'].includes(request.method)) {
    await recordRefusal(ctx, { action: permission, targetType: 'route', targetId: new URL(request.url).pathname }, 403, message);
  }
  invariantResponse(false, message, 403);
}

export async function requireTenantPermission(request: Request, tenantId: string | undefined, permission: Permission) {
  const ctx = await requireTenant(request, tenantId);
  await requirePermission(ctx, permission, request);
  return ctx;
}
