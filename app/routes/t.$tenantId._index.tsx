import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { roleHome } from '~/navigation/landing.server';
import { requireTenant } from '~/server/auth.server';

/** Each role lands where it works first. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  throw redirect(roleHome(ctx.tenantId, ctx.role));
}
