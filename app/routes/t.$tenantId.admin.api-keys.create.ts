// POST: create an API key. The key is in this response only; a replay answers without it.
import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { createApiKey } from '~/admin/api-keys.server';
import { actionResponse, idempotencyKeySchema } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { reasonOptional } from '~/server/fields';
import { parseForm } from '~/server/http.server';

const CreateForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  name: z.string().trim().min(1, 'is required').max(100, 'use at most 100 characters'),
  reason: reasonOptional,
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:apikey');
  const form = await parseForm(request, CreateForm);
  const { outcome, rawKey } = await createApiKey(ctx, form);
  return actionResponse(outcome, { extra: rawKey ? { name: form.name, key: rawKey } : null, headers: { 'Cache-Control': 'no-store' } });
}
