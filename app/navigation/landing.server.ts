// Land where you work: the console remembers, per staff member, the last page they opened under
// /t/<tenant>/…, and login (and "/") brings them back to it; without one, or when they are no
// longer a member of its tenant, their first membership's home for their role.
import { db } from '../server/db.server';
import { rememberStaffPage, type TenantContext } from '../server/auth.server';
import { safeRedirect } from '../server/http.server';
import type { Role } from '../server/permissions';

/** Where each role works first (t.$tenantId._index redirects here too). */
const ROLE_HOME: Record<Role, string> = { support: 'trials', finance: 'payments', oncall: 'workflows', admin: 'workflows' };

export function roleHome(tenantId: string, role: Role): string {
  return `/t/${tenantId}/${ROLE_HOME[role]}`;
}

/** No console page has a longer path; a longer one is someone's junk, not a place to come back to. */
const PATH_MAX = 1_000;

// Not places to come back to: the tenant's bare index only redirects, and a search page without
// its query (the query is never stored: it may be a customer's email) would be empty.
const NOT_A_PLACE = /^\/t\/[^/]+\/?(?:search\/?)?$/;

/**
 * Records `pathname` (a GET navigation in the tenant's layout, so never an API or resource route)
 * as where the staff member last worked. One statement that writes only when the page changed.
 */
export async function rememberPage(ctx: Pick<TenantContext, 'userId' | 'tenantId'> & Partial<Pick<TenantContext, 'lastTenantId' | 'lastPath'>>, request: Request): Promise<boolean> {
  if (request.method !== 'GET') return false;
  const { pathname } = new URL(request.url);
  if (!pathname.startsWith(`/t/${ctx.tenantId}/`) || NOT_A_PLACE.test(pathname) || pathname.length > PATH_MAX) return false;
  // The session's read already says where they were: the same page again costs no query.
  if (ctx.lastPath === pathname && ctx.lastTenantId === ctx.tenantId) return false;
  const changed = await db().$executeRaw`
    UPDATE staff_users SET last_tenant_id = ${ctx.tenantId}, last_path = ${pathname}
     WHERE id = ${ctx.userId}::uuid AND (last_path IS DISTINCT FROM ${pathname} OR last_tenant_id IS DISTINCT FROM ${ctx.tenantId})`;
  // The remembered session says the new page from now on, without reading it again (a page that
  // moved on every request made every request read the session: docs/performance.md).
  rememberStaffPage(ctx.userId, ctx.tenantId, pathname);
  return changed > 0;
}

/**
 * Where a staff member lands after login: their last page, when its tenant is still one of their
 * active memberships; else their first membership's role home — the membership they were given
 * first (the demo's support works in DataSync, made before CartFlow), not the first by name.
 * Null when they have no active membership.
 */
export async function landing(userId: string): Promise<{ tenantId: string; path: string } | null> {
  const [memberships, last] = await Promise.all([
    db().membership.findMany({ where: { userId, disabledAt: null }, orderBy: [{ createdAt: 'asc' }, { tenantId: 'asc' }], select: { tenantId: true, role: true } }),
    db().staffUser.findUnique({ where: { id: userId }, select: { lastTenantId: true, lastPath: true } }),
  ]);
  const first = memberships[0];
  if (!first) return null;
  const path = last?.lastPath && safeRedirect(last.lastPath, '') === last.lastPath ? last.lastPath : null;
  if (last?.lastTenantId && path?.startsWith(`/t/${last.lastTenantId}/`) && memberships.some((m) => m.tenantId === last.lastTenantId)) {
    return { tenantId: last.lastTenantId, path };
  }
  return { tenantId: first.tenantId, path: roleHome(first.tenantId, first.role) };
}
