import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireStaff } from '~/utils/auth.server';
import { db } from '~/utils/db.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const session = await db().session.findUnique({ where: { id: staff.sessionId } });
  const current = staff.memberships.find((m) => m.tenantId === session?.tenantId) ?? staff.memberships[0];
  if (!current) throw redirect('/login');
  throw redirect(`/t/${current.tenantId}`);
}
