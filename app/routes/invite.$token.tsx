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

export const meta: MetaFunction = () => [{ title: 'Invitation · Vigie' }];
// The URL is a credential until used: no cache may keep the page.
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const h = new Headers(loaderHeaders);
  for (const [k, v] of actionHeaders) h.set(k, v);
  h.set('Cache-Control', 'no-store');
  return h;
};

function gone(lookup: Exclude<InvitationLookup, { status: 'valid' }>) {
  if (lookup.status === 'used') {
    return { status: 410, title: 'Invitation already used', message: `This link was already used to join ${lookup.tenantName}. Sign in instead.` };
  }
  if (lookup.status === 'expired') {
    return { status: 410, title: 'Invitation expired', message: `This invitation to ${lookup.tenantName} has expired or was replaced by a newer one. Ask your admin for a new link.` };
  }
  return { status: 404, title: 'Invitation not found', message: 'This invitation link is not valid. Check that it was copied whole, or ask your admin for a new one.' };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireCleanUrl(request);
  const lookup = await findInvitation(params.token ?? '');
  if (lookup.status !== 'valid') {
    const g = gone(lookup);
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
    name: z.string().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters for your name'),
    password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters for your password`).max(1024, 'Use at most 1024 characters'),
    confirm: z.string(),
  })
  .refine((f) => f.password === f.confirm, { message: 'The two passwords differ', path: ['confirm'] });
const ExistingAccountForm = z.object({ password: z.string().min(1, 'Enter your password').max(1024) });

const refuse = (error: string, status: number, headers?: HeadersInit) => json({ error }, { status, headers });

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  requireCleanUrl(request);
  const token = params.token ?? '';
  const lookup = await findInvitation(token);
  if (lookup.status !== 'valid') {
    const g = gone(lookup);
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
      if (!userId) return refuse('Wrong password for this account.', 401);
      accepted = await acceptInvitation(token, { kind: 'existing', userId });
    } else {
      const form = NewAccountForm.safeParse(fields);
      if (!form.success) return refuse(form.error.issues[0].message, 400);
      accepted = await acceptInvitation(token, { kind: 'new', name: form.data.name, password: form.data.password });
    }
  } catch (error) {
    if (error instanceof RateLimitedError) return refuse(error.message, 429, { 'Retry-After': String(error.retryAfterSeconds) });
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
  if (!data.valid) {
    return (
      <main className="page narrow">
        <h1>{data.title}</h1>
        <p role="alert">{data.message}</p>
        <p><a href="/login">Sign in</a></p>
      </main>
    );
  }
  const busy = navigation.state !== 'idle';
  return (
    <main className="page narrow">
      <h1>Join {data.tenantName} on Vigie</h1>
      <p>
        You are invited as <strong>{data.role}</strong> with <strong>{data.email}</strong>. This link works once, until {data.expires}.
      </p>
      <Form method="post" className="stack card">
        {data.accountExists ? (
          <>
            <p className="muted">You already have a Vigie account: confirm it with its password.</p>
            <input type="hidden" name="username" value={data.email} autoComplete="username" />
            <label>Password<input name="password" type="password" autoComplete="current-password" required autoFocus /></label>
          </>
        ) : (
          <>
            <label>Your name<input name="name" required maxLength={100} autoComplete="name" autoFocus /></label>
            <label>
              Password (at least {data.minPassword} characters)
              <input name="password" type="password" autoComplete="new-password" required minLength={data.minPassword} maxLength={1024} />
            </label>
            <label>Password again<input name="confirm" type="password" autoComplete="new-password" required /></label>
          </>
        )}
        {result && 'error' in result && <p className="error" role="alert">{result.error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Joining…' : `Join ${data.tenantName}`}</button>
      </Form>
    </main>
  );
}
