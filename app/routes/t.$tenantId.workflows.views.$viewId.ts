// POST /t/<tenant>/workflows/views/<id>: update a saved view with the list's current filters
// (op=update: name, query, sharing, role default) or delete it (op=delete); audited, owner or admin.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { changeView, savedViewChangeForm } from '~/workflows/views.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const form = await parseForm(request, savedViewChangeForm);
  return actionResponse(await changeView(ctx, params.viewId ?? '', form));
}
