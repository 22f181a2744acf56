// Tenant administration: staff and API keys, for roles that manage either.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { requireTenant } from '~/server/auth.server';
import { invariantResponse } from '~/server/http.server';
import { can } from '~/server/permissions';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  const staff = can(ctx.role, 'manage:staff');
  const apiKeys = can(ctx.role, 'manage:apikey');
  invariantResponse(staff || apiKeys, `Your role (${ctx.role}) cannot administer this tenant: ask an admin of this tenant if you need to.`, 403);
  return json({ tenantId: ctx.tenantId, tenantName: ctx.tenantName, nav: { staff, apiKeys } });
}

export default function AdminLayout() {
  const { tenantId, tenantName, nav } = useLoaderData<typeof loader>();
  const base = `/t/${tenantId}/admin`;
  return (
    <main className="page">
      <h1>{tenantName} — administration</h1>
      <nav className="filters" aria-label="Administration">
        <NavLink to={base} end>Overview</NavLink>
        {nav.staff && <NavLink to={`${base}/staff`}>Staff</NavLink>}
        {nav.apiKeys && <NavLink to={`${base}/api-keys`}>API keys</NavLink>}
      </nav>
      <Outlet />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
