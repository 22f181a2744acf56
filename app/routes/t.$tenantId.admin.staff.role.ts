// POST: change a member's role in this tenant; the last admin cannot be demoted (409).
import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { actionResponse, idempotencyKeySchema, parseForm } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { ROLES } from '~/server/permissions';
import { changeRole } from '~/admin/staff.server';

const RoleForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  email: z.string().trim().toLowerCase().email('must be an email address').max(254),
  role: z.enum(ROLES, { errorMap: () => ({ message: `must be one of ${ROLES.join(', ')}` }) }),
  reason: z.string().trim().max(500).optional().transform((v) => v || null),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:staff');
  const form = await parseForm(request, RoleForm);
  return actionResponse(await changeRole(ctx, form));
}
