import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { actionResponse, idempotencyKeySchema, parseForm, runAuditedAction } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { invariantResponse } from '~/server/http.server';
import { temporal } from '~/server/temporal.server';
import { onboardingWorkflowId } from '~/trials/search.server';
import { signalWorkflow } from '~/workflows/ops.server';
import { describeTenantWorkflow } from '~/workflows/list.server';

const euros = z.string().trim().regex(/^\d{1,7}([.,]\d{1,2})?$/, 'must be an amount in euros, e.g. 49.00')
  .transform((s) => Math.round(Number(s.replace(',', '.')) * 100));
const common = { idempotencyKey: idempotencyKeySchema, reason: z.string().trim().max(500).optional() };

const SignalForm = z.discriminatedUnion('signal', [
  z.object({ signal: z.literal('fonctionnalitéActivée'), fonctionnalité: z.string().trim().min(1, 'is required').max(100), ...common }),
  z.object({ signal: z.literal('abonnementSouscrit'), planId: z.string().trim().min(1, 'is required').max(100), montant: euros, ...common }),
  z.object({ signal: z.literal('onboardingComplété'), ...common }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'signal:workflow');
  invariantResponse(/^[\w.@:-]{1,200}$/.test(params.userId ?? ''), 'Not found', 404);
  const form = await parseForm(request, SignalForm);
  const workflowId = onboardingWorkflowId(params.userId!);
  const args =
    form.signal === 'fonctionnalitéActivée' ? [{ fonctionnalité: form.fonctionnalité }]
    : form.signal === 'abonnementSouscrit' ? [{ planId: form.planId, montant: form.montant }]
    : [];
  const client = await temporal();
  // Another tenant's (or no) workflow is a 404 before anything is recorded.
  await describeTenantWorkflow(client, ctx.tenantId, workflowId);
  const outcome = await runAuditedAction(
    ctx,
    { action: `signal:${form.signal}`, targetType: 'workflow', targetId: workflowId, reason: form.reason, idempotencyKey: form.idempotencyKey, detail: { args } },
    () => signalWorkflow(client, ctx.tenantId, workflowId, form.signal, args),
  );
  return actionResponse(outcome);
}
