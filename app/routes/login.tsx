import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { RateLimitedError, commitSessionCookie, createSession, getStaff, verifyLogin } from '~/server/auth.server';
import { landing } from '~/navigation/landing.server';
import { readForm, requireSameOrigin, safeRedirect } from '~/server/http.server';
import { requireCleanUrl } from '~/server/hygiene.server';
import { useTranslation } from 'react-i18next';
import { i18nServer } from '~/i18n/i18n.server';
import { serverT } from '~/i18n/server-t.server';
import { pageTitle } from '~/i18n/fixed-t';
import { translateKnown } from '~/i18n/known-message';
import { auth as words } from '~/i18n/locales/en/auth';

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'auth', (t) => t('login.title')) }];

// Messages are the English resources' (translated when answered).
const LoginForm = z.object({
  email: z.string().trim().min(1, words.login.enterEmail).email(words.login.validEmail).max(254),
  password: z.string().min(1, words.login.enterPassword).max(1024),
  redirectTo: z.string().optional(),
});

// A plain form post (no JavaScript) is a document request: its headers come from here.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => (actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders);

export async function loader({ request }: LoaderFunctionArgs) {
  requireCleanUrl(request);
  const staff = await getStaff(request);
  if (staff) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')));
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  requireCleanUrl(request);
  const formData = await readForm(request, 2_000);
  const parsed = LoginForm.safeParse(Object.fromEntries(formData));
  // Signed out: the browser's language (Accept-Language).
  const t = serverT(await i18nServer.getLocale(request), 'auth');
  if (!parsed.success) {
    return json({ error: translateKnown(t, parsed.error.issues[0]?.message ?? words.login.invalidForm) }, { status: 400 });
  }
  const { email, password, redirectTo } = parsed.data;
  let userId: string | null;
  try {
    userId = await verifyLogin(email, password, context?.clientAddress ?? 'unknown');
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return json({ error: t('login.rateLimited') }, { status: 429, headers: { 'Retry-After': String(error.retryAfterSeconds) } });
    }
    throw error;
  }
  // Same message for an unknown account and a wrong password: nothing reveals which accounts exist.
  if (!userId) return json({ error: t('login.wrong') }, { status: 401 });
  // The tenant and page they last worked on, else their first tenant's home for their role.
  const lands = await landing(userId);
  if (!lands) return json({ error: t('login.noTenant') }, { status: 403 });
  const { token, expiresAt } = await createSession(userId, lands.tenantId);
  return redirect(safeRedirect(redirectTo, lands.path), {
    headers: { 'Set-Cookie': await commitSessionCookie(token, expiresAt) },
  });
}

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation('auth');
  return (
    <main className="page narrow">
      <h1>{t('login.heading')}</h1>
      <Form method="post" className="stack card">
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <label>{t('login.email')}<input name="email" type="email" autoComplete="username" required autoFocus /></label>
        <label>{t('login.password')}<input name="password" type="password" autoComplete="current-password" required /></label>
        {data && 'error' in data && <p className="error" role="alert">{data.error}</p>}
        <button type="submit" disabled={navigation.state !== 'idle'}>{navigation.state !== 'idle' ? t('login.submitting') : t('login.submit')}</button>
      </Form>
    </main>
  );
}
