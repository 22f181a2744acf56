// POST: the browser's own time zone, sent once by the tenant layout while the operator has none
// stored (components/use-browser-time-zone.ts). A zone already stored is kept (200, unchanged).
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { browserTimeZoneForm, storeBrowserTimeZone } from '~/preferences/preferences.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'edit:preferences');
  const form = await parseForm(request, browserTimeZoneForm);
  return actionResponse(await storeBrowserTimeZone(ctx, form));
}
