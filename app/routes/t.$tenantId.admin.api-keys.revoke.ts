// POST: revoke an API key of this tenant (a reason is required).
import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { revokeApiKey } from '~/admin/api-keys.server';
import { actionResponse, idempotencyKeySchema } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { reasonRequired } from '~/server/fields';
import { parseForm } from '~/server/http.server';

const RevokeForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  keyId: z.string().uuid('is not an API key id'),
  reason: reasonRequired,
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:apikey');
  const form = await parseForm(request, RevokeForm);
  return actionResponse(await revokeApiKey(ctx, form));
}
