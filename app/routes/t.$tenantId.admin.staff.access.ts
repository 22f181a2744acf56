// POST: disable or enable a member's access to this tenant; the last admin cannot be disabled (409).
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { memberAccessForm, setMemberAccess } from '~/admin/staff.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:staff');
  const { access, ...form } = await parseForm(request, memberAccessForm);
  return actionResponse(await setMemberAccess(ctx, { ...form, disabled: access === 'disable' }));
}
