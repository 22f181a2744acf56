import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { landing } from '~/navigation/landing.server';
import { requireStaff } from '~/server/auth.server';

/** "/" lands where the staff member last worked (app/navigation/landing.server.ts). */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const lands = await landing(staff.userId);
  if (!lands) throw redirect('/login');
  throw redirect(lands.path);
}
