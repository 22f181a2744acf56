// POST: change a member's role in this tenant; the last admin cannot be demoted (409).
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { changeRole, memberRoleForm } from '~/admin/staff.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:staff');
  const form = await parseForm(request, memberRoleForm);
  return actionResponse(await changeRole(ctx, form));
}
