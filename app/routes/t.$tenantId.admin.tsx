// Tenant administration: staff and API keys, for roles that manage either.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { serverT } from '~/i18n/server-t.server';
import { requireTenant } from '~/server/auth.server';
import { invariantResponse } from '~/server/http.server';
import { can } from '~/server/permissions';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  const staff = can(ctx.role, 'manage:staff');
  const apiKeys = can(ctx.role, 'manage:apikey');
  const t = serverT(ctx.language, 'admin');
  invariantResponse(staff || apiKeys, t('forbidden', { role: t(`role.${ctx.role}`) }), 403);
  return json({ tenantId: ctx.tenantId, tenantName: ctx.tenantName, nav: { staff, apiKeys } });
}

export default function AdminLayout() {
  const { tenantId, tenantName, nav } = useLoaderData<typeof loader>();
  const { t } = useTranslation('admin');
  const base = `/t/${tenantId}/admin`;
  return (
    <main className="page">
      <h1>{t('title', { tenant: tenantName })}</h1>
      <nav className="filters" aria-label={t('nav.label')}>
        <NavLink to={base} end>{t('nav.overview')}</NavLink>
        {nav.staff && <NavLink to={`${base}/staff`}>{t('nav.staff')}</NavLink>}
        {nav.apiKeys && <NavLink to={`${base}/api-keys`}>{t('nav.apiKeys')}</NavLink>}
      </nav>
      <Outlet />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
