import { isRouteErrorResponse, Link, useLocation, useRouteError } from '@remix-run/react';

// Keeps the console's top bar around a refusal (403/404/400), instead of the bare root error page.
// A bad query string (parseSearch's 400) names each bad parameter and offers the page without it.
export function RouteErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  if (!isRouteErrorResponse(error)) throw error;
  const message = (error.data as { error?: string } | null)?.error ?? error.statusText;
  return (
    <main className="page">
      <h1>{error.status === 403 ? 'Not allowed' : error.status === 404 ? 'Not found' : `Error ${error.status}`}</h1>
      <p className="error" role="alert">{message}</p>
      {error.status === 400 && location.search && <p><Link to={location.pathname}>Show this page without filters</Link></p>}
    </main>
  );
}
