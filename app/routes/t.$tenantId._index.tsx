import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireTenant } from '~/server/auth.server';

/** Each role lands where it works first. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  const base = `/t/${ctx.tenantId}`;
  throw redirect(ctx.role === 'support' ? `${base}/trials` : `${base}/workflows`);
}
