// POST /t/<tenant>/workflows/views: save the list's current filters as a named view, private or shared.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { saveView, savedViewForm } from '~/workflows/views.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const form = await parseForm(request, savedViewForm);
  return actionResponse(await saveView(ctx, form));
}
