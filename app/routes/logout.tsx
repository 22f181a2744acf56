import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { destroySession } from '~/server/auth.server';
import { requireSameOrigin } from '~/server/http.server';

export async function action({ request }: ActionFunctionArgs) {
  requireSameOrigin(request);
  return redirect('/login', { headers: { 'Set-Cookie': await destroySession(request) } });
}

export const loader = () => redirect('/');
