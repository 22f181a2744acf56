// Test data made directly in the database, and sessions made by the auth module itself
// (the login form is exercised once, in foundation.spec.ts). Shared by the vitest files and
// the Playwright specs: nothing here imports vitest or Playwright at run time.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { BrowserContext } from '@playwright/test';
import { createPrismaClient, type Db } from '../prisma/db';
import { writeOrder, type OrderFixture } from '../finance/fixtures';
import { LocalPaymentGateway } from '../ports/local-gateway';
import type { TenantContext } from '../app/server/auth.server';
import type { Role } from '../app/server/permissions';
import type { DuréesOnboarding } from '../temporal/workflows/onboarding.contract';
import { uid } from './ids';

export { uid };

let client: Db | undefined;
export function testDb(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through `npm test` (or `npx vitest`, which starts its own database)');
  client ??= createPrismaClient(url, { max: 3 });
  return client;
}

export async function makeTenant(name = 'Tenant') {
  const id = uid('t');
  return testDb().tenant.create({ data: { id, name: `${name} ${id}` } });
}

export async function makeStaff(memberships: Record<string, Role>, password = `pw-${uid()}-${uid()}`) {
  const email = `${uid('staff')}@test.vigie`;
  const user = await testDb().staffUser.create({
    data: {
      email,
      name: `Staff ${email.slice(6, 14)}`,
      passwordHash: await hash(password),
      memberships: { create: Object.entries(memberships).map(([tenantId, role]) => ({ tenantId, role })) },
    },
  });
  return { ...user, password };
}

type StaffLike = { id: string; email: string; name: string };
type TenantLike = { id: string; name: string };

/**
 * The TenantContext that requireTenantPermission returns, for calling a domain function
 * directly. Writes nothing: pass rows made by makeTenant/makeStaff (or use makeTenantContext)
 * when the function under test joins on them; a tenant given as a bare id is named after it.
 */
export function tenantContext(role: Role, opts: { tenant?: TenantLike | string; staff?: Partial<StaffLike> } = {}): TenantContext {
  const tenant = typeof opts.tenant === 'string' || opts.tenant === undefined ? { id: opts.tenant ?? uid('t'), name: '' } : opts.tenant;
  const tenantName = tenant.name || `Tenant ${tenant.id}`;
  const email = opts.staff?.email ?? `${uid('staff')}@test.vigie`;
  return {
    userId: opts.staff?.id ?? randomUUID(),
    email,
    lastTenantId: null,
    lastPath: null,
    name: opts.staff?.name ?? `Staff ${email.slice(6, 14)}`,
    sessionId: randomUUID(),
    sessionTenantId: tenant.id,
    timeZone: null,
    language: 'en',
    memberships: [{ tenantId: tenant.id, tenantName, role }],
    tenantId: tenant.id,
    tenantName,
    role,
  };
}

/** A staff member with `role` in a tenant (a new one unless given), and their TenantContext there. */
export async function makeTenantContext(role: Role, opts: { tenant?: TenantLike; tenantName?: string } = {}) {
  const tenant = opts.tenant ?? (await makeTenant(opts.tenantName));
  const staff = await makeStaff({ [tenant.id]: role });
  return { tenant, staff, ctx: tenantContext(role, { tenant, staff }) };
}

/**
 * A real session, made by app/server/auth.server.ts's own createSession and
 * commitSessionCookie: the row in `sessions` and the cookie the console would set.
 * The auth module is loaded here, on first use, because it reads the console's environment
 * (DATABASE_URL at least; scripts/test.ts sets it for the Playwright run) when it loads.
 */
export async function sessionCookieFor(staff: { id: string }, tenantId: string) {
  const { commitSessionCookie, createSession } = await import('../app/server/auth.server');
  const { token, expiresAt } = await createSession(staff.id, tenantId);
  const setCookie = await commitSessionCookie(token, expiresAt);
  const [pair, ...attributes] = setCookie.split(/;\s*/);
  const eq = pair.indexOf('=');
  const attribute = (name: string) => attributes.find((a) => a.toLowerCase().startsWith(name.toLowerCase()));
  return {
    name: pair.slice(0, eq),
    value: pair.slice(eq + 1),
    /** For a `Cookie:` request header. */
    header: pair,
    setCookie,
    expiresAt,
    path: attribute('Path=')?.slice('Path='.length) ?? '/',
    httpOnly: Boolean(attribute('HttpOnly')),
    secure: Boolean(attribute('Secure')),
    sameSite: (attribute('SameSite=')?.slice('SameSite='.length).toLowerCase() ?? 'lax') as 'lax' | 'strict' | 'none',
  };
}

const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;

/** Signs a staff member in to the browser context with a real session (see sessionCookieFor). */
export async function signIn(context: BrowserContext, staff: { id: string }, tenantId: string, baseURL: string) {
  const c = await sessionCookieFor(staff, tenantId);
  await context.addCookies([{
    name: c.name,
    value: c.value,
    domain: new URL(baseURL).hostname,
    path: c.path,
    expires: Math.floor(c.expiresAt.getTime() / 1000),
    httpOnly: c.httpOnly,
    secure: c.secure,
    sameSite: SAME_SITE[c.sameSite],
  }]);
}

/** A pending invitation to the tenant, valid 7 days, and its one-time token (what the link carries). */
export async function makeInvitation(tenantId: string, invitedBy: string, role: Role = 'support') {
  const token = randomBytes(32).toString('base64url');
  await testDb().staffInvitation.create({
    data: { tenantId, email: `${uid('invitee')}@test.vigie`, role, tokenHash: createHash('sha256').update(token).digest('hex'), invitedBy, expiresAt: new Date(Date.now() + 7 * 86_400_000) },
  });
  return token;
}

/** A trial user of the tenant with a running onboarding workflow on the production schedule. */
/** A trial user and their onboarding workflow; `beforeStart` runs first (e.g. to arm a mail fault for their address). */
export async function makeTrial(tenantId: string, durées?: Partial<DuréesOnboarding>, opts: { beforeStart?: (user: { id: string; email: string }) => Promise<unknown> } = {}) {
  const { createTemporalClient } = await import('../temporal/config');
  const { startOnboarding } = await import('../temporal/starters');
  const id = uid('u');
  const user = await testDb().trialUser.create({ data: { id, tenantId, email: `${id}@example.test`, name: `Trial ${id}` } });
  await opts.beforeStart?.(user);
  const client = await createTemporalClient();
  const { workflowId } = await startOnboarding(client, { tenantId, utilisateurId: id, email: user.email, prénom: 'Test', planEssaiId: 'trial-14j', durées });
  await client.connection.close();
  return { ...user, workflowId };
}

/**
 * An order's payment saga rows, as finance/fixtures.ts's writeOrder leaves them (saga, ledger,
 * the local provider's objects, an incident when asked): by default a succeeded 180 € order
 * charged, transferred and insured just now. To run a real saga through the worker instead,
 * the e2e specs have runSaga (e2e/support/finance.ts).
 */
export function makeOrder(tenantId: string, over: Partial<Omit<OrderFixture, 'tenantId'>> = {}) {
  return writeOrder(testDb(), new LocalPaymentGateway(testDb()), {
    tenantId,
    orderId: uid('CMD'),
    totalCents: 18_000,
    status: 'succeeded',
    at: new Date(),
    steps: [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance' }],
    ...over,
  });
}
