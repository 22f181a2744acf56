// POST: invite someone by email (an existing account is added at once). Answers the
// invitation link once, in this response only.
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { z } from 'zod';
import { actionResponse, idempotencyKeySchema, parseForm } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { env } from '~/server/env.server';
import { ROLES } from '~/server/permissions';
import { inviteStaff } from '~/admin/staff.server';

const InviteForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  email: z.string().trim().toLowerCase().email('must be an email address').max(254),
  role: z.enum(ROLES, { errorMap: () => ({ message: `must be one of ${ROLES.join(', ')}` }) }),
  reason: z.string().trim().max(500).optional().transform((v) => v || null),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:staff');
  const form = await parseForm(request, InviteForm);
  const { outcome, token } = await inviteStaff(ctx, form);
  if (outcome.ok && token) {
    const link = new URL(`/invite/${token}`, env().PUBLIC_URL).toString();
    return json({ ok: true as const, result: { ...outcome.result, email: form.email, link }, replayed: false }, { headers: { 'Cache-Control': 'no-store' } });
  }
  return actionResponse(outcome);
}
