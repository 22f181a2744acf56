import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useLoaderData, useNavigation, useRouteError, useRouteLoaderData } from '@remix-run/react';
import { useEffect } from 'react';
import styles from './styles.css';
import { useNonce } from './components/nonce';
import { HealthBanner } from './components/health-banner';
import { cachedHealth } from './server/health.server';
import { getStaff } from './server/auth.server';
import { DEFAULT_LANGUAGE } from './preferences/languages';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = () => [{ title: 'Vigie' }];

export async function loader({ request }: LoaderFunctionArgs) {
  // The signed-in operator's language (the lookup the page's own loader makes, asked once); none when the database is down (the banner says so).
  const [health, staff] = await Promise.all([cachedHealth(), getStaff(request).catch(() => null)]);
  return json({ health, language: staff?.language ?? DEFAULT_LANGUAGE });
}

function Document({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const language = useRouteLoaderData<typeof loader>('root')?.language ?? DEFAULT_LANGUAGE;
  // Marks the document once React has hydrated it: end-to-end tests wait for it (e2e/support/hydration.ts).
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <html lang={language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** A thin bar at the top while a page loads or a form is submitted; "Loading…" for screen readers. */
function NavigationProgress() {
  const busy = useNavigation().state !== 'idle';
  return (
    <>
      {busy && <div className="nav-progress" role="progressbar" aria-label="Loading" aria-busy="true" data-testid="nav-progress" />}
      <div className="sr-only" aria-live="polite">{busy ? 'Loading…' : ''}</div>
    </>
  );
}

export default function App() {
  const { health } = useLoaderData<typeof loader>();
  return (
    <Document>
      <NavigationProgress />
      {!health.ok && <HealthBanner health={health} />}
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? (error.data as { error?: string })?.error ?? error.statusText
    : 'Something went wrong on our side. The error was logged.';
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <Document>
      <main className="page narrow">
        <h1>{status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : `Error ${status}`}</h1>
        <p role="alert">{message}</p>
        <p><a href="/">Back to the console</a></p>
      </main>
    </Document>
  );
}
