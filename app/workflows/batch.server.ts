// Batch terminate / cancel / signal through Temporal's own batch operations. The
// visibility query always carries the tenant clause, so a batch can only ever touch the
// tenant's workflows; the idempotency key is the batch job id, which Temporal refuses to
// run twice.
import type { Client } from '@temporalio/client';
import { tenantQuery } from '../../temporal/search-attributes';
import { ActionRefused } from '../server/audited-action.server';

export type BatchOp = { kind: 'terminate' } | { kind: 'cancel' } | { kind: 'signal'; signal: string; args: unknown[] };

export async function runBatch(client: Client, tenantId: string, clause: string, op: BatchOp, reason: string, jobId: string, expectedCount: number, identity: string) {
  // Only running workflows can be acted on; the preview the operator confirmed counted the same set.
  const query = tenantQuery(tenantId, `(${clause}) AND ExecutionStatus = 'Running'`);
  const { count } = await client.workflow.count(query);
  if (count === 0) throw new ActionRefused('No running workflow matches: nothing to do.');
  if (count > expectedCount * 1.1 + 5) {
    throw new ActionRefused(`The selection grew from ${expectedCount} to ${count} running workflows since the preview; review and confirm again.`);
  }
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
  });
  // Small batches finish in a moment: wait briefly so the operator sees the outcome.
  for (let i = 0; i < 20; i++) {
    const d = await client.connection.workflowService.describeBatchOperation({ namespace: client.options.namespace, jobId });
    const done = Number(d.completeOperationCount ?? 0);
    const failed = Number(d.failureOperationCount ?? 0);
    if (d.state === 2 || d.state === 3 || done + failed >= count) {
      return { message: `Batch ${op.kind}: ${done} done, ${failed} failed of ${count}.`, jobId, count, done, failed };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { message: `Batch ${op.kind} of ${count} workflows started (job ${jobId}); it continues in Temporal.`, jobId, count, done: null, failed: null };
}
