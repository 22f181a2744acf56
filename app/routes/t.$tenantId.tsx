import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useEffect, useState } from 'react';
import { Form, NavLink, Outlet, useLoaderData, useLocation, type ShouldRevalidateFunction } from '@remix-run/react';
import { forgetStaff, requireTenant } from '~/server/auth.server';
import { can } from '~/server/permissions';
import { db } from '~/server/db.server';
import { rememberPage } from '~/navigation/landing.server';
import { SearchBox } from '~/components/search-box';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { useSendBrowserTimeZone } from '~/components/use-browser-time-zone';
import { useTranslation } from 'react-i18next';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  // The session's tenant, and the page login brings the staff member back to (only when it changed).
  await Promise.all([
    ctx.sessionTenantId !== ctx.tenantId && db().session.update({ where: { id: ctx.sessionId }, data: { tenantId: ctx.tenantId } }).then(() => forgetStaff(ctx.userId)),
    rememberPage(ctx, request),
  ]);
  return json({
    tenantId: ctx.tenantId,
    tenantName: ctx.tenantName,
    role: ctx.role,
    name: ctx.name,
    email: ctx.email,
    // Every date of every tenant page is written in this zone (components/zoned-time.tsx).
    timeZone: operatorTimeZone(ctx),
    timeZoneStored: ctx.timeZone !== null,
    language: ctx.language,
    nav: {
      trials: can(ctx.role, 'read:trial'),
      payments: can(ctx.role, 'read:payment'),
      audit: can(ctx.role, 'read:audit'),
      admin: can(ctx.role, 'manage:staff'),
    },
    tenants: ctx.memberships.map((m) => ({ id: m.tenantId, name: m.tenantName, role: m.role })),
  });
}

// Every page of the tenant runs this loader once, so it can record where the operator works:
// Remix would otherwise keep its data while only the page below changes.
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  currentUrl.pathname !== nextUrl.pathname || defaultShouldRevalidate;

export default function TenantLayout() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const base = `/t/${data.tenantId}`;
  // Below 1100 px the links, the tenant switcher and the account collapse behind a menu button
  // (styles.css: .menu-toggle, .nav-menu); from 1100 px .nav-menu is display: contents and the
  // bar is one row, as before. The menu closes when a link is followed.
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setMenuOpen(false), [pathname]);
  useSendBrowserTimeZone(base, data.timeZoneStored);
  return (
    <>
      <nav className="topbar" aria-label={t('nav.main')} data-testid="topbar" data-time-zone={data.timeZone}>
        <span className="brand">{t('brand')}</span>
        <SearchBox tenantId={data.tenantId} canSearchAll={data.tenants.length > 1} />
        <button type="button" className="menu-toggle secondary" aria-expanded={menuOpen} aria-controls="main-menu" onClick={() => setMenuOpen((o) => !o)}>
          {t('nav.menu')}
        </button>
        <div id="main-menu" className={menuOpen ? 'nav-menu open' : 'nav-menu'}>
          <NavLink to={`${base}/dashboard`}>{t('nav.dashboard')}</NavLink>
          <NavLink to={`${base}/workflows`}>{t('nav.workflows')}</NavLink>
          <NavLink to={`${base}/checkouts`}>{t('nav.checkouts')}</NavLink>
          <NavLink to={`${base}/kanban`}>{t('nav.kanban')}</NavLink>
          {data.nav.trials && <NavLink to={`${base}/trials`}>{t('nav.trials')}</NavLink>}
          {data.nav.payments && <NavLink to={`${base}/payments`}>{t('nav.payments')}</NavLink>}
          {data.nav.audit && <NavLink to={`${base}/audit`}>{t('nav.audit')}</NavLink>}
          {data.nav.admin && <NavLink to={`${base}/admin`}>{t('nav.admin')}</NavLink>}
          <span className="spacer" />
          <details className="tenant-switcher">
            <summary data-testid="current-tenant">{data.tenantName} · {t(`roles.${data.role}`)}</summary>
            <ul aria-label={t('nav.tenants')}>
              {data.tenants.map((m) => (
                <li key={m.id}><a href={`/t/${m.id}`}>{m.name} ({t(`roles.${m.role}`)})</a></li>
              ))}
            </ul>
          </details>
          <NavLink to={`${base}/preferences`} title={t('nav.preferencesTitle', { email: data.email })} data-testid="preferences-link">{data.name}</NavLink>
          <Form method="post" action="/logout"><button type="submit" className="secondary">{t('nav.signOut')}</button></Form>
        </div>
      </nav>
      <Outlet />
    </>
  );
}
