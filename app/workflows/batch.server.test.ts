import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { TenantId } from '../../temporal/search-attributes';
import { startOnboarding } from '../../temporal/starters';
import { makeTenantContext, testDb, uid } from '../../test-support/factories';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';
import { instantToWallTime } from '../components/time';
import { operatorIdentity } from '../server/temporal.server';
import { batchForm, batchJobId, runBatchAction } from './batch.server';
import { describeTenantBatchJob, listTenantBatchJobs } from './jobs.server';

// Batch reset and the batch jobs list against the real Temporal server, with a worker running the
// onboarding workflows (a reset needs a completed workflow task to go back to).
let s: TestStack;
type Ctx = Awaited<ReturnType<typeof makeTenantContext>>['ctx'];
let ctx: Ctx;
let other: Ctx;
let trials: WorkflowHandle[] = [];
let cut: Date;

async function startTrial(tenantId: string) {
  const id = uid('u');
  const h = await startOnboarding(s.client, { tenantId, utilisateurId: id, email: `${id}@example.test`, prénom: 'Camille', planEssaiId: 'essai-14j' }, { taskQueue: s.taskQueue });
  // Settled: the first workflow task completed and the welcome email's activity is done.
  await waitFor('first workflow task', async () => (await h.describe()).historyLength >= 8 || undefined, 20_000);
  return h;
}

const form = (fields: Record<string, string>) => batchForm.parse({ idempotencyKey: uid('key').replace(/[^\w-]/g, '-'), expectedCount: '0', ...fields });
const visible = (n: number, query: string) => waitFor(`${n} in visibility`, async () => (await s.client.workflow.count(query)).count === n || undefined, 15_000);

beforeAll(async () => {
  s = await startTestStack('batch');
  ({ ctx } = await makeTenantContext('oncall'));
  ({ ctx: other } = await makeTenantContext('oncall'));
  trials = [await startTrial(ctx.tenantId)];
  cut = new Date(Math.floor((await trials[0].describe()).startTime.getTime() / 1000) * 1000 + 1000);
  while (Date.now() < cut.getTime() + 200) await new Promise((r) => setTimeout(r, 50));
  trials.push(await startTrial(ctx.tenantId), await startTrial(ctx.tenantId));
  await startTrial(other.tenantId);
  await visible(3, `TenantId = '${ctx.tenantId}' AND ExecutionStatus = 'Running'`);
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('batch reset', () => {
  it('over a filter typed in Paris time, acts on the same window the list shows', async () => {
    const f = form({
      op: 'reset', resetTo: 'first', scope: 'filter', status: 'Running', tz: 'Europe/Paris',
      from: instantToWallTime(cut, 'Europe/Paris'), expectedCount: '2', reason: 'replay from the start',
    });
    await visible(2, `TenantId = '${ctx.tenantId}' AND ExecutionStatus = 'Running' AND StartTime >= '${cut.toISOString()}'`);
    const before = await Promise.all(trials.map(async (h) => (await h.describe()).runId));
    const outcome = await runBatchAction(ctx, f);
    expect(outcome).toMatchObject({ ok: true, result: { count: 2 } });
    // The two started after the Paris time got a new run; the one started before it did not.
    await waitFor('reset runs', async () => {
      const now = await Promise.all(trials.map(async (h) => (await s.client.workflow.getHandle(h.workflowId).describe()).runId));
      return (now[1] !== before[1] && now[2] !== before[2]) || undefined;
    }, 20_000);
    expect((await s.client.workflow.getHandle(trials[0].workflowId).describe()).runId).toBe(before[0]);
    const row = await testDb().auditLog.findFirstOrThrow({ where: { tenantId: ctx.tenantId, idempotencyKey: f.idempotencyKey } });
    expect(row.targetId).toContain(`StartTime >= '${cut.toISOString()}'`);
  });

  it('resets the selected workflows to their last workflow task, as the operator, audited, and the jobs page shows it', async () => {
    const [a, b, c] = trials;
    const before = await Promise.all([a, b, c].map(async (h) => (await h.describe()).runId));
    const f = form({ op: 'reset', scope: 'selection', ids: `${a.workflowId},${b.workflowId}`, expectedCount: '2', reason: 'bad deploy 4.2' });
    const outcome = await runBatchAction(ctx, f);
    expect(outcome).toMatchObject({ ok: true, result: { count: 2 } });
    const jobId = batchJobId(ctx.tenantId, f.idempotencyKey);

    // Temporal's own view: a new run for a and b, whose reset names the reason; c untouched.
    await waitFor('reset runs', async () => {
      const runs = await Promise.all([a, b].map(async (h) => (await s.client.workflow.getHandle(h.workflowId).describe()).runId));
      return runs.every((r, i) => r !== before[i]) || undefined;
    }, 20_000);
    expect((await s.client.workflow.getHandle(c.workflowId).describe()).runId).toBe(before[2]);
    const newRun = await s.client.workflow.getHandle(a.workflowId).fetchHistory();
    const resetTask = newRun.events!.find((e) => e.workflowTaskFailedEventAttributes?.cause === 20 /* WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW */);
    expect(resetTask?.workflowTaskFailedEventAttributes?.failure?.message).toContain('bad deploy 4.2');
    const old = await s.client.workflow.getHandle(a.workflowId, before[0]).describe();
    expect(old.status.name).toBe('TERMINATED');
    expect(old.typedSearchAttributes.getAll().find((p) => p.key.name === 'TenantId')?.value).toBe(ctx.tenantId);

    // The audit row, written before and completed after.
    const row = await testDb().auditLog.findFirstOrThrow({ where: { tenantId: ctx.tenantId, idempotencyKey: f.idempotencyKey } });
    expect(row).toMatchObject({ action: 'batch:reset:last', outcome: 'ok', reason: 'bad deploy 4.2', actorEmail: ctx.email });

    // The jobs list says what describeBatchOperation says, and only for this tenant.
    const job = await waitFor('job completed', async () => {
      const j = (await listTenantBatchJobs(s.client, ctx.tenantId)).find((r) => r.jobId === jobId);
      return j?.state === 'completed' ? j : undefined;
    }, 20_000);
    const raw = await s.client.connection.workflowService.describeBatchOperation({ namespace: s.client.options.namespace, jobId });
    expect(job).toMatchObject({ key: f.idempotencyKey, type: 'reset', total: Number(raw.totalOperationCount), done: Number(raw.completeOperationCount), failed: 0, reason: 'bad deploy 4.2' });
    expect(job.done).toBe(2);
    // Temporal's record of who ran the job (the reset events themselves carry the server's identity).
    expect(job.identity).toBe(operatorIdentity(ctx));
    expect(await listTenantBatchJobs(s.client, other.tenantId)).not.toContainEqual(expect.objectContaining({ jobId }));
    await expect(describeTenantBatchJob(s.client, other.tenantId, jobId)).rejects.toMatchObject({ status: 404 });
    await expect(describeTenantBatchJob(s.client, ctx.tenantId, batchJobId(ctx.tenantId, 'never-started'))).rejects.toMatchObject({ status: 404 });
  });

  it('refuses a selection that grew since the preview, and starts no job', async () => {
    // Six more running workflows of the tenant (on a queue nobody polls) appear after a preview of one.
    await Promise.all(Array.from({ length: 6 }, (_, i) => s.client.workflow.start('workflowOnboardingTrial', {
      taskQueue: `nobody-${ctx.tenantId}`, workflowId: uid(`drift-${i}`), args: [{}], typedSearchAttributes: [{ key: TenantId, value: ctx.tenantId }],
    })));
    await visible(9, `TenantId = '${ctx.tenantId}' AND ExecutionStatus = 'Running'`);
    const f = form({ op: 'reset', scope: 'filter', status: 'Running', expectedCount: '1', reason: 'drift check' });
    const outcome = await runBatchAction(ctx, f);
    expect(outcome).toMatchObject({ ok: false, status: 409 });
    expect(outcome.ok || outcome.error).toMatch(/grew from 1 to 9/);
    expect((await listTenantBatchJobs(s.client, ctx.tenantId)).map((j) => j.key)).not.toContain(f.idempotencyKey);
    const row = await testDb().auditLog.findFirstOrThrow({ where: { tenantId: ctx.tenantId, idempotencyKey: f.idempotencyKey } });
    expect(row.outcome).toBe('refused');
  });

  it('refuses a reset without a reason before anything is recorded', async () => {
    const f = form({ op: 'reset', scope: 'selection', ids: trials[0].workflowId, expectedCount: '1' });
    const refusal = await runBatchAction(ctx, f).catch((r: Response) => r);
    expect((refusal as Response).status).toBe(400);
    expect(await (refusal as Response).json()).toMatchObject({ error: 'reason: a reason is required to reset' });
    expect(await testDb().auditLog.count({ where: { tenantId: ctx.tenantId, idempotencyKey: f.idempotencyKey } })).toBe(0);
  });
});
