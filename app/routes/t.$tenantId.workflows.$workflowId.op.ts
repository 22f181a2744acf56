import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { actionResponse, idempotencyKeySchema, parseForm, runAuditedAction } from '~/server/audited-action.server';
import { requirePermission, requireTenant } from '~/server/auth.server';
import { temporal } from '~/server/temporal.server';
import { cancelWorkflow, resetWorkflow, terminateWorkflow } from '~/workflows/ops.server';
import { describeTenantWorkflow } from '~/workflows/list.server';

const reason = z.string().trim().min(3, 'a reason of at least 3 characters is required').max(500);
const OpForm = z.discriminatedUnion('op', [
  z.object({ op: z.literal('cancel'), idempotencyKey: idempotencyKeySchema, reason: z.string().trim().max(500).optional() }),
  z.object({ op: z.literal('terminate'), idempotencyKey: idempotencyKeySchema, reason }),
  z.object({ op: z.literal('reset'), idempotencyKey: idempotencyKeySchema, reason, eventId: z.coerce.number().int().positive().optional() }),
]);

const PERMISSION = { cancel: 'cancel:workflow', terminate: 'terminate:workflow', reset: 'reset:workflow' } as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  const form = await parseForm(request, OpForm);
  requirePermission(ctx, PERMISSION[form.op]);
  const client = await temporal();
  const workflowId = params.workflowId ?? '';
  // Another tenant's (or an unknown) workflow is a 404 before anything is recorded.
  await describeTenantWorkflow(client, ctx.tenantId, workflowId);
  const outcome = await runAuditedAction(
    ctx,
    { action: form.op, targetType: 'workflow', targetId: workflowId, reason: form.reason, idempotencyKey: form.idempotencyKey, detail: form.op === 'reset' ? { eventId: form.eventId ?? 'last' } : undefined },
    () =>
      form.op === 'cancel' ? cancelWorkflow(client, ctx.tenantId, workflowId)
      : form.op === 'terminate' ? terminateWorkflow(client, ctx.tenantId, workflowId, `${form.reason} (by ${ctx.email})`)
      : resetWorkflow(client, ctx.tenantId, workflowId, `${form.reason} (by ${ctx.email})`, form.idempotencyKey, form.eventId),
  );
  return actionResponse(outcome);
}
