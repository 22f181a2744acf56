import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { ActionRefused, actionResponse, idempotencyKeySchema, parseForm, runAuditedAction } from '~/server/audited-action.server';
import { requirePermission, requireTenant } from '~/server/auth.server';
import { runBatch } from '~/workflows/batch.server';
import { temporal } from '~/server/temporal.server';
import { idsClause, workflowFilterClause, workflowFilterSchema } from '~/workflows/filters.server';

const BatchForm = workflowFilterSchema.extend({
  idempotencyKey: idempotencyKeySchema,
  op: z.enum(['terminate', 'cancel', 'signal']),
  signal: z.enum(['fonctionnalitéActivée', 'onboardingComplété']).optional(),
  fonctionnalité: z.string().trim().max(100).optional(),
  scope: z.enum(['selection', 'filter']),
  ids: z.string().max(100_000).optional(),
  reason: z.string().trim().max(500).optional(),
  expectedCount: z.coerce.number().int().min(0),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  const form = await parseForm(request, BatchForm);
  requirePermission(ctx, form.op === 'terminate' ? 'terminate:workflow' : form.op === 'cancel' ? 'cancel:workflow' : 'signal:workflow');
  if (form.op === 'signal' && !form.signal) throw Response.json({ ok: false, error: 'signal: choose a signal' }, { status: 400 });
  if (form.signal === 'fonctionnalitéActivée' && !form.fonctionnalité) throw Response.json({ ok: false, error: 'fonctionnalité: is required' }, { status: 400 });
  const ids = (form.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const badId = ids.find((id) => !/^[\w.@:-]{1,255}$/.test(id));
  if (badId !== undefined || ids.length > 1000) throw Response.json({ ok: false, error: 'ids: at most 1000 valid workflow ids' }, { status: 400 });
  if (form.scope === 'selection' && ids.length === 0) throw Response.json({ ok: false, error: 'ids: select at least one workflow' }, { status: 400 });
  if (form.op === 'terminate' && (form.reason ?? '').length < 3) throw Response.json({ ok: false, error: 'reason: a reason is required to terminate' }, { status: 400 });
  const clause = form.scope === 'selection' ? idsClause(ids) : workflowFilterClause(form) ?? "WorkflowType != ''";
  const client = await temporal();
  const outcome = await runAuditedAction(
    ctx,
    {
      action: form.op === 'signal' ? `batch:signal:${form.signal}` : `batch:${form.op}`,
      targetType: 'workflows',
      targetId: form.scope === 'selection' ? ids.slice(0, 20).join(',') + (ids.length > 20 ? `,…(+${ids.length - 20})` : '') : `filter: ${clause}`,
      reason: form.reason,
      idempotencyKey: form.idempotencyKey,
      detail: { scope: form.scope, expectedCount: form.expectedCount },
    },
    async () => {
      if (form.expectedCount === 0) throw new ActionRefused('Nothing was selected.');
      const op = form.op === 'signal'
        ? { kind: 'signal' as const, signal: form.signal!, args: form.signal === 'fonctionnalitéActivée' ? [{ fonctionnalité: form.fonctionnalité }] : [] }
        : { kind: form.op };
      return runBatch(client, ctx.tenantId, form.op === 'signal' ? `(${clause}) AND WorkflowType = 'workflowOnboardingTrial'` : clause, op, form.reason || `${form.op} by ${ctx.email}`, form.idempotencyKey, form.expectedCount, ctx.email);
    },
  );
  return actionResponse(outcome);
}
