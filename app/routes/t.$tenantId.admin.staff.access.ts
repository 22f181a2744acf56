// POST: disable or enable a member's access to this tenant; the last admin cannot be disabled (409).
import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { actionResponse, idempotencyKeySchema, parseForm } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { setMemberAccess } from '~/admin/staff.server';

const AccessForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  email: z.string().trim().toLowerCase().email('must be an email address').max(254),
  access: z.enum(['disable', 'enable'], { errorMap: () => ({ message: 'must be disable or enable' }) }),
  reason: z.string().trim().max(500).optional().transform((v) => v || null),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:staff');
  const { access, ...form } = await parseForm(request, AccessForm);
  return actionResponse(await setMemberAccess(ctx, { ...form, disabled: access === 'disable' }));
}
