// "What is stuck": running workflows whose current activity keeps failing. Visibility does
// not index pending activities, so this describes a bounded number of running workflows.
import type { Client } from '@temporalio/client';
import type { WorkflowRow } from './list.server';

export interface StuckActivity { activityType: string; attempt: number; lastFailure: string | null; state: string; scheduledAt: string | null }

export async function stuckActivities(client: Client, rows: WorkflowRow[], concurrency = 8) {
  const out: { row: WorkflowRow; activities: StuckActivity[] }[] = [];
  const queue = rows.filter((r) => r.status === 'RUNNING');
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const d = await client.workflow.getHandle(row.workflowId, row.runId).describe().catch(() => null);
        const pending = d?.raw.pendingActivities ?? [];
        const activities = pending
          .filter((a) => (a.attempt ?? 0) > 1 || a.lastFailure)
          .map((a) => ({
            activityType: a.activityType?.name ?? '?',
            attempt: a.attempt ?? 0,
            lastFailure: a.lastFailure?.message ?? null,
            state: String(a.state ?? ''),
            scheduledAt: a.lastStartedTime?.seconds ? new Date(Number(a.lastStartedTime.seconds) * 1000).toISOString() : null,
          }));
        if (activities.length) out.push({ row, activities });
      }
    }),
  );
  return out.sort((a, b) => Math.max(...b.activities.map((x) => x.attempt)) - Math.max(...a.activities.map((x) => x.attempt)));
}
