import { isRouteErrorResponse, Link, useLocation, useRouteError } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

// Keeps the console's top bar around a refusal (403/404/400), instead of the bare root error page.
// A bad query string (parseSearch's 400) names each bad parameter and offers the page without it.
export function RouteErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const { t } = useTranslation();
  if (!isRouteErrorResponse(error)) throw error;
  const message = (error.data as { error?: string } | null)?.error ?? (error.status === 404 ? t('error.noPage') : error.statusText);
  return (
    <main className="page">
      <h1>{error.status === 403 ? t('error.notAllowed') : error.status === 404 ? t('error.notFound') : t('error.status', { status: error.status })}</h1>
      <p className="error" role="alert">{message}</p>
      {error.status === 400 && location.search && <p><Link to={location.pathname}>{t('error.withoutFilters')}</Link></p>}
    </main>
  );
}
