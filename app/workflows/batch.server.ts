// Batch terminate / cancel / signal / reset through Temporal's own batch operations. The
// visibility query always carries the tenant clause, so a batch can only ever touch the
// tenant's workflows; the batch job id is made from the tenant and the idempotency key
// (batchJobId), so Temporal refuses to run it twice and the jobs page finds the tenant's jobs.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { tenantQuery } from '../../temporal/search-attributes';
import { ONBOARDING_WORKFLOW_TYPE, signalFonctionnalitéActivée, signalOnboardingComplété } from '../../temporal/workflows/onboarding.contract';
import { ActionRefused, idempotencyKeySchema, runAuditedAction } from '../server/audited-action.server';
import type { TenantContext } from '../server/auth.server';
import { reasonOptional } from '../server/fields';
import { operatorIdentity, temporalFor } from '../server/temporal.server';
import { idsClause, workflowFilterSchema, workflowQueryClause } from './filters.server';
import { serverT } from '../i18n/server-t.server';
import type { WorkflowsT } from './history.server';
import { forgetRunChains } from './run-chains.server';

export type BatchOp =
  | { kind: 'terminate' }
  | { kind: 'cancel' }
  | { kind: 'signal'; signal: string; args: unknown[] }
  | { kind: 'reset'; to: ResetPoint };

/** Where a batch reset takes each workflow back to: its last or its first completed workflow task. */
export const RESET_POINTS = ['last', 'first'] as const;
export type ResetPoint = (typeof RESET_POINTS)[number];

// Which batch jobs are the tenant's: we prefix Temporal's job id with the tenant (no table of job
// ids). A tenant id cannot hold "/" (visibilityLiteral refuses it), so "vigie/a/" never prefixes
// another tenant's "vigie/a/b/…", and the idempotency key after it keeps a double click to one job.
const JOB_PREFIX = 'vigie/';
export const batchJobId = (tenantId: string, idempotencyKey: string) => `${JOB_PREFIX}${tenantId}/${idempotencyKey}`;
export const isTenantBatchJob = (tenantId: string, jobId: string) => jobId.startsWith(`${JOB_PREFIX}${tenantId}/`);

export async function runBatch(client: Client, tenantId: string, clause: string, op: BatchOp, reason: string, jobId: string, expectedCount: number, identity: string, t: WorkflowsT) {
  // Only running workflows can be acted on; the preview the operator confirmed counted the same set.
  const query = tenantQuery(tenantId, `(${clause}) AND ExecutionStatus = 'Running'`);
  const { count } = await client.workflow.count(query);
  if (count === 0) throw new ActionRefused(t('actions.batchNoneRunning'));
  if (count > expectedCount * 1.1 + 5) {
    throw new ActionRefused(t('actions.batchGrew', { expected: expectedCount, count }));
  }
  // A batch reset runs on the server after this returns: the run chains are read again from now
  // on, and its resets show within RUN_CHAINS_CACHE_MS of being done (run-chains.server.ts).
  if (op.kind === 'reset') forgetRunChains(tenantId);
  const payloads = client.options.loadedDataConverter.payloadConverter;
  await client.connection.workflowService.startBatchOperation({
    namespace: client.options.namespace,
    jobId,
    visibilityQuery: query,
    reason,
    terminationOperation: op.kind === 'terminate' ? { identity } : undefined,
    cancellationOperation: op.kind === 'cancel' ? { identity } : undefined,
    signalOperation: op.kind === 'signal'
      ? { signal: op.signal, input: { payloads: op.args.map((a) => payloads.toPayload(a)) }, identity }
      : undefined,
    // Signals received after the reset point are reapplied to the new run (the server's default).
    resetOperation: op.kind === 'reset'
      ? { identity, options: op.to === 'first' ? { firstWorkflowTask: {} } : { lastWorkflowTask: {} } }
      : undefined,
  });
  // Small batches finish in a moment: wait briefly so the operator sees the outcome.
  for (let i = 0; i < 20; i++) {
    const d = await client.connection.workflowService.describeBatchOperation({ namespace: client.options.namespace, jobId });
    const done = Number(d.completeOperationCount ?? 0);
    const failed = Number(d.failureOperationCount ?? 0);
    if (d.state === 2 || d.state === 3 || done + failed >= count) {
      return { message: t('actions.batchDone', { op: t(`jobs.operations.${op.kind}`), done, failed, count }), jobId, count, done, failed };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { message: t('actions.batchStarted', { op: t(`jobs.operations.${op.kind}`), count, jobId }), jobId, count, done: null, failed: null };
}

/** The workflow list's batch form: a selection of ids or the current filters, and the operation. */
export const batchForm = workflowFilterSchema.extend({
  idempotencyKey: idempotencyKeySchema,
  op: z.enum(['terminate', 'cancel', 'signal', 'reset']),
  resetTo: z.enum(RESET_POINTS).default('last'),
  signal: z.enum([signalFonctionnalitéActivée.name, signalOnboardingComplété.name]).optional(),
  fonctionnalité: z.string().trim().max(100).optional(),
  scope: z.enum(['selection', 'filter']),
  ids: z.string().max(100_000).optional(),
  reason: reasonOptional,
  expectedCount: z.coerce.number().int().min(0),
});
export type BatchForm = z.infer<typeof batchForm>;

export const BATCH_PERMISSION = { terminate: 'terminate:workflow', cancel: 'cancel:workflow', signal: 'signal:workflow', reset: 'reset:workflow' } as const;

const refuse = (error: string) => Response.json({ ok: false, error }, { status: 400 });

/** Runs a batch on the session's tenant's workflows, audited; a form that does not add up is a 400 and nothing is recorded. */
export async function runBatchAction(ctx: TenantContext, form: BatchForm) {
  const t = serverT(ctx.language, 'workflows');
  if (form.op === 'signal' && !form.signal) throw refuse(t('actions.chooseSignal'));
  if (form.signal === signalFonctionnalitéActivée.name && !form.fonctionnalité) throw refuse(t('actions.featureRequired'));
  const ids = (form.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const badId = ids.find((id) => !/^[\w.@:-]{1,255}$/.test(id));
  if (badId !== undefined || ids.length > 1000) throw refuse(t('actions.badIds'));
  if (form.scope === 'selection' && ids.length === 0) throw refuse(t('actions.selectOne'));
  if ((form.op === 'terminate' || form.op === 'reset') && (form.reason ?? '').length < 3) throw refuse(t('actions.reasonRequired', { op: t(`jobs.operations.${form.op}`) }));
  const client = await temporalFor(ctx);
  const clause = form.scope === 'selection' ? idsClause(ids) : (await workflowQueryClause(client, form, t)) ?? "WorkflowType != ''";
  return runAuditedAction(
    ctx,
    {
      action: form.op === 'signal' ? `batch:signal:${form.signal}` : form.op === 'reset' ? `batch:reset:${form.resetTo}` : `batch:${form.op}`,
      targetType: 'workflows',
      targetId: form.scope === 'selection' ? ids.slice(0, 20).join(',') + (ids.length > 20 ? `,…(+${ids.length - 20})` : '') : `filter: ${clause}`,
      reason: form.reason,
      idempotencyKey: form.idempotencyKey,
      detail: { scope: form.scope, expectedCount: form.expectedCount, jobId: batchJobId(ctx.tenantId, form.idempotencyKey) },
    },
    async () => {
      if (form.expectedCount === 0) throw new ActionRefused(t('actions.batchNothing'));
      const op: BatchOp = form.op === 'signal'
        ? { kind: 'signal', signal: form.signal!, args: form.signal === signalFonctionnalitéActivée.name ? [{ fonctionnalité: form.fonctionnalité }] : [] }
        : form.op === 'reset' ? { kind: 'reset', to: form.resetTo } : { kind: form.op };
      const query = form.op === 'signal' ? `(${clause}) AND WorkflowType = '${ONBOARDING_WORKFLOW_TYPE}'` : clause;
      const jobId = batchJobId(ctx.tenantId, form.idempotencyKey);
      return runBatch(client, ctx.tenantId, query, op, form.reason || `${form.op} by ${ctx.email}`, jobId, form.expectedCount, operatorIdentity(ctx), t);
    },
  );
}
