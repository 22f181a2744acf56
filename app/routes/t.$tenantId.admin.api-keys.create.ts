// POST: create an API key. The key is in this response only; a replay answers without it.
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { z } from 'zod';
import { createApiKey } from '~/admin/api-keys.server';
import { actionResponse, idempotencyKeySchema, parseForm } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';

const CreateForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  name: z.string().trim().min(1, 'is required').max(100, 'use at most 100 characters'),
  reason: z.string().trim().max(500).optional().transform((v) => v || null),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:apikey');
  const form = await parseForm(request, CreateForm);
  const { outcome, rawKey } = await createApiKey(ctx, form);
  if (outcome.ok && rawKey) {
    return json({ ok: true as const, result: { ...outcome.result, name: form.name, key: rawKey }, replayed: false }, { headers: { 'Cache-Control': 'no-store' } });
  }
  return actionResponse(outcome);
}
