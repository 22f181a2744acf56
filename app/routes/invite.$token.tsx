// An invitation link: the invited person chooses a name and password (or, when they already
// have an account, confirms it with its password), joins the tenant and is signed in.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { RateLimitedError, commitSessionCookie, createSession, verifyLogin } from '~/server/auth.server';
import { utcTimestamp } from '~/components/time';
import { readForm, requireSameOrigin } from '~/server/http.server';
import { MIN_PASSWORD_LENGTH, InvitationError, acceptInvitation, findInvitation, type InvitationLookup } from '~/admin/staff.server';
import { requireCleanUrl } from '~/server/hygiene.server';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { i18nServer } from '~/i18n/i18n.server';
import { serverT } from '~/i18n/server-t.server';
import { pageTitle } from '~/i18n/fixed-t';
import { translateKnown } from '~/i18n/known-message';
import { auth as words } from '~/i18n/locales/en/auth';

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'auth', (t) => t('invite.title')) }];
// The URL is a credential until used: no cache may keep the page.
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const h = new Headers(loaderHeaders);
  for (const [k, v] of actionHeaders) h.set(k, v);
  h.set('Cache-Control', 'no-store');
  return h;
};

function gone(lookup: Exclude<InvitationLookup, { status: 'valid' }>, t: TFunction<'auth'>) {
  if (lookup.status === 'used') {
    return { status: 410, title: t('invite.usedTitle'), message: t('invite.used', { tenant: lookup.tenantName }) };
  }
  if (lookup.status === 'expired') {
    return { status: 410, title: t('invite.expiredTitle'), message: t('invite.expired', { tenant: lookup.tenantName }) };
  }
  return { status: 404, title: t('invite.notFoundTitle'), message: t('invite.notFound') };
}

/** Signed out: the browser's language (Accept-Language). */
const wordsFor = async (request: Request) => serverT(await i18nServer.getLocale(request), 'auth');

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireCleanUrl(request);
  const lookup = await findInvitation(params.token ?? '');
  if (lookup.status !== 'valid') {
    const g = gone(lookup, await wordsFor(request));
    return json({ valid: false as const, title: g.title, message: g.message }, { status: g.status });
  }
  const { invitation, accountExists } = lookup;
  return json({
    valid: true as const,
    email: invitation.email,
    role: invitation.role,
    tenantName: invitation.tenantName,
    expires: utcTimestamp(invitation.expiresAt, 'minute'),
    accountExists,
    minPassword: MIN_PASSWORD_LENGTH,
  });
}

const NewAccountForm = z
  .object({
    name: z.string().trim().min(1, words.invite.enterName).max(100, words.invite.nameTooLong),
    password: z.string().min(MIN_PASSWORD_LENGTH, words.invite.passwordTooShort).max(1024, words.invite.passwordTooLong),
    confirm: z.string(),
  })
  .refine((f) => f.password === f.confirm, { message: words.invite.differ, path: ['confirm'] });
const ExistingAccountForm = z.object({ password: z.string().min(1, words.login.enterPassword).max(1024) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  requireCleanUrl(request);
  const token = params.token ?? '';
  const t = await wordsFor(request);
  // A message of the schemas above or of admin/staff.server.ts, in the browser's language.
  const refuse = (error: string, status: number, headers?: HeadersInit) => json({ error: translateKnown(t, error) }, { status, headers });
  const lookup = await findInvitation(token);
  if (lookup.status !== 'valid') {
    const g = gone(lookup, t);
    return refuse(g.message, g.status);
  }
  const formData = await readForm(request, 2_000);
  const fields = Object.fromEntries(formData);
  let accepted: { userId: string; tenantId: string };
  try {
    if (lookup.accountExists) {
      const form = ExistingAccountForm.safeParse(fields);
      if (!form.success) return refuse(form.error.issues[0].message, 400);
      // The same rate-limited check as the sign-in form: the link alone never opens an existing account.
      const userId = await verifyLogin(lookup.invitation.email, form.data.password, context?.clientAddress ?? 'unknown');
      if (!userId) return refuse(t('invite.wrongPassword'), 401);
      accepted = await acceptInvitation(token, { kind: 'existing', userId });
    } else {
      const form = NewAccountForm.safeParse(fields);
      if (!form.success) return refuse(form.error.issues[0].message, 400);
      accepted = await acceptInvitation(token, { kind: 'new', name: form.data.name, password: form.data.password });
    }
  } catch (error) {
    if (error instanceof RateLimitedError) return refuse(t('login.rateLimited'), 429, { 'Retry-After': String(error.retryAfterSeconds) });
    if (error instanceof InvitationError) return refuse(error.message, error.status);
    throw error;
  }
  const { token: sessionToken, expiresAt } = await createSession(accepted.userId, accepted.tenantId);
  return redirect(`/t/${accepted.tenantId}`, { headers: { 'Set-Cookie': await commitSessionCookie(sessionToken, expiresAt) } });
}

export default function Invitation() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation(['auth', 'common']);
  if (!data.valid) {
    return (
      <main className="page narrow">
        <h1>{data.title}</h1>
        <p role="alert">{data.message}</p>
        <p><a href="/login">{t('invite.signIn')}</a></p>
      </main>
    );
  }
  const busy = navigation.state !== 'idle';
  return (
    <main className="page narrow">
      <h1>{t('invite.heading', { tenant: data.tenantName })}</h1>
      <p>
        <Trans t={t} i18nKey="invite.invitedAs" values={{ role: t(`common:roles.${data.role}`), email: data.email, expires: data.expires }} components={{ strong: <strong /> }} />
      </p>
      <Form method="post" className="stack card">
        {data.accountExists ? (
          <>
            <p className="muted">{t('invite.accountExists')}</p>
            <input type="hidden" name="username" value={data.email} autoComplete="username" />
            <label>{t('invite.password')}<input name="password" type="password" autoComplete="current-password" required autoFocus /></label>
          </>
        ) : (
          <>
            <label>{t('invite.name')}<input name="name" required maxLength={100} autoComplete="name" autoFocus /></label>
            <label>
              {t('invite.newPassword', { min: data.minPassword })}
              <input name="password" type="password" autoComplete="new-password" required minLength={data.minPassword} maxLength={1024} />
            </label>
            <label>{t('invite.again')}<input name="confirm" type="password" autoComplete="new-password" required /></label>
          </>
        )}
        {result && 'error' in result && <p className="error" role="alert">{result.error}</p>}
        <button type="submit" disabled={busy}>{busy ? t('invite.joining') : t('invite.join', { tenant: data.tenantName })}</button>
      </Form>
    </main>
  );
}
