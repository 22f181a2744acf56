// Support's nudge: one of the onboarding workflow's three signals, sent to a trial user of the
// session's tenant, audited and at most once per request key. The signals are the contract's
// definitions (temporal/workflows/onboarding.contract.ts), never names typed here.
import type { SignalDefinition } from '@temporalio/client';
import { z } from 'zod';
import {
  onboardingWorkflowId,
  signalAbonnementSouscrit,
  signalFonctionnalitéActivée,
  signalOnboardingComplété,
} from '../../temporal/workflows/onboarding.contract';
import { ActionRefused, idempotencyKeySchema } from '../server/audited-action.server';
import type { TenantContext } from '../server/auth.server';
import { euros, reasonOptional } from '../server/fields';
import { invariantResponse } from '../server/http.server';
import { serverT } from '../i18n/server-t.server';
import { describeTenantWorkflow } from '../workflows/list.server';
import { auditedWorkflowAction, signalWorkflow } from '../workflows/ops.server';
import { statusInSentence } from '../workflows/labels';

const common = { idempotencyKey: idempotencyKeySchema, reason: reasonOptional };

export const trialSignalForm = z.discriminatedUnion('signal', [
  z.object({ signal: z.literal(signalFonctionnalitéActivée.name), fonctionnalité: z.string().trim().min(1, 'is required').max(100), ...common }),
  z.object({ signal: z.literal(signalAbonnementSouscrit.name), planId: z.string().trim().min(1, 'is required').max(100), montant: euros, ...common }),
  z.object({ signal: z.literal(signalOnboardingComplété.name), ...common }),
]);
export type TrialSignalForm = z.infer<typeof trialSignalForm>;

/** Another tenant's (or no) trial is a 404 before anything is recorded. The answer is in the operator's language. */
export async function sendTrialSignal(ctx: TenantContext, userId: string, form: TrialSignalForm) {
  invariantResponse(/^[\w.@:-]{1,200}$/.test(userId), 'Not found', 404);
  const workflowId = onboardingWorkflowId(userId);
  const t = serverT(ctx.language, 'trials');
  const wt = serverT(ctx.language, 'workflows');
  const [signal, args]: [SignalDefinition<unknown[]>, unknown[]] =
    form.signal === signalFonctionnalitéActivée.name ? [signalFonctionnalitéActivée, [{ fonctionnalité: form.fonctionnalité }]]
    : form.signal === signalAbonnementSouscrit.name ? [signalAbonnementSouscrit, [{ planId: form.planId, montant: form.montant }]]
    : [signalOnboardingComplété, []];
  return auditedWorkflowAction(
    ctx,
    workflowId,
    { action: `signal:${form.signal}`, reason: form.reason, idempotencyKey: form.idempotencyKey, detail: { args } },
    (client) => signalWorkflow(client, ctx.tenantId, workflowId, signal, args, wt).then(
      () => ({ message: t('signals.sent', { signal: form.signal }) }),
      // The one refusal signalWorkflow makes: the workflow closed meanwhile.
      async (error: unknown) => {
        if (!(error instanceof ActionRefused)) throw error;
        const { status } = await describeTenantWorkflow(client, ctx.tenantId, workflowId);
        throw new ActionRefused(t('signals.refusedClosed', { status: statusInSentence(wt, status.name) }), error.status);
      },
    ),
  );
}
