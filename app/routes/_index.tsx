import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireStaff } from '~/server/auth.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const current = staff.memberships.find((m) => m.tenantId === staff.sessionTenantId) ?? staff.memberships[0];
  if (!current) throw redirect('/login');
  throw redirect(`/t/${current.tenantId}`);
}
