// POST: revoke an API key of this tenant (a reason is required).
import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { revokeApiKey } from '~/admin/api-keys.server';
import { actionResponse, idempotencyKeySchema, parseForm } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';

const RevokeForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  keyId: z.string().uuid('is not an API key id'),
  reason: z.string({ required_error: 'is required' }).trim().min(3, 'is required (at least 3 characters)').max(500),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:apikey');
  const form = await parseForm(request, RevokeForm);
  return actionResponse(await revokeApiKey(ctx, form));
}
