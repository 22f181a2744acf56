import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useLoaderData, useNavigation, useRouteError, useRouteLoaderData } from '@remix-run/react';
import { useEffect } from 'react';
import styles from './styles.css';
import { useNonce } from './components/nonce';
import { HealthBanner } from './components/health-banner';
import { cachedHealth } from './server/health.server';
import { useTranslation } from 'react-i18next';
import { useChangeLanguage } from 'remix-i18next/react';
import { DEFAULT_LANGUAGE, asLanguage } from './preferences/languages';
import { i18nServer } from './i18n/i18n.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = () => [{ title: 'Vigie' }];

export async function loader({ request }: LoaderFunctionArgs) {
  // The signed-in operator's language (the session lookup the page's own loader makes, asked once),
  // else the browser's (remix-i18next: Accept-Language); English when the database is down.
  const [health, language] = await Promise.all([cachedHealth(), i18nServer.getLocale(request)]);
  return json({ health, language: asLanguage(language) });
}

function Document({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const language = useRouteLoaderData<typeof loader>('root')?.language ?? DEFAULT_LANGUAGE;
  // A language saved on the Preferences page reloads the root data: the browser's i18next follows.
  useChangeLanguage(language);
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
  const { t } = useTranslation();
  return (
    <>
      {busy && <div className="nav-progress" role="progressbar" aria-label={t('loading')} aria-busy="true" data-testid="nav-progress" />}
      <div className="sr-only" aria-live="polite">{busy ? t('loading') : ''}</div>
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
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? (error.data as { error?: string } | null)?.error ?? (status === 404 ? t('error.noPage') : error.statusText)
    : t('error.ours');
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <Document>
      <main className="page narrow">
        <h1>{status === 404 ? t('error.notFound') : status === 403 ? t('error.notAllowed') : t('error.status', { status })}</h1>
        <p role="alert">{message}</p>
        <p><a href="/">{t('error.back')}</a></p>
      </main>
    </Document>
  );
}
