// POST: invite someone by email (an existing account is added at once). Answers the
// invitation link once, in this response only.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { env } from '~/server/env.server';
import { parseForm } from '~/server/http.server';
import { inviteStaff, memberRoleForm } from '~/admin/staff.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:staff');
  const form = await parseForm(request, memberRoleForm);
  const { outcome, token } = await inviteStaff(ctx, form);
  const link = token && new URL(`/invite/${token}`, env().PUBLIC_URL).toString();
  return actionResponse(outcome, { extra: link ? { email: form.email, link } : null, headers: { 'Cache-Control': 'no-store' } });
}
