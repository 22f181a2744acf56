// Who polls a workflow's task queue: the workers Temporal has seen asking for workflow tasks and
// activity tasks. A running workflow on a queue nobody polls makes no progress at all, which the
// workflow page says plainly instead of letting the operator wonder.
import type { Client } from '@temporalio/client';
import protoPkg from '@temporalio/proto';

// The package is CommonJS: the console's ESM build reads it through its default export.
const proto = protoPkg.temporal;

const { TaskQueueType } = proto.api.enums.v1;

export interface Poller {
  identity: string;
  kind: 'workflow' | 'activity';
  lastAccessTime: string | null;
  ratePerSecond: number | null;
}

export interface TaskQueueWorkers {
  taskQueue: string;
  pollers: Poller[];
  /** No worker asked for workflow tasks recently: a running workflow cannot move. */
  noWorkflowPoller: boolean;
  /** No worker asked for activity tasks recently: scheduled activities wait. */
  noActivityPoller: boolean;
}

async function pollersOf(client: Client, taskQueue: string, kind: Poller['kind']): Promise<Poller[]> {
  const res = await client.connection.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  return (res.pollers ?? []).map((p) => ({
    identity: p.identity ?? '',
    kind,
    lastAccessTime: p.lastAccessTime?.seconds != null ? new Date(Number(p.lastAccessTime.seconds) * 1000 + Math.floor((p.lastAccessTime.nanos ?? 0) / 1e6)).toISOString() : null,
    ratePerSecond: p.ratePerSecond ?? null,
  }));
}

/**
 * The pollers of one task queue, workflow and activity alike, most recent first. Temporal keeps a
 * poller listed for a few minutes after its last poll, so a worker that just died still shows,
 * with its last access time.
 */
export async function taskQueueWorkers(client: Client, taskQueue: string): Promise<TaskQueueWorkers> {
  const [workflow, activity] = await Promise.all([pollersOf(client, taskQueue, 'workflow'), pollersOf(client, taskQueue, 'activity')]);
  const pollers = [...workflow, ...activity].sort((a, b) => (b.lastAccessTime ?? '').localeCompare(a.lastAccessTime ?? ''));
  return { taskQueue, pollers, noWorkflowPoller: workflow.length === 0, noActivityPoller: activity.length === 0 };
}

export interface IdleTaskQueue {
  taskQueue: string;
  /** Running workflows of the page on that queue. */
  running: number;
}

/**
 * The task queues of a page's running workflows that no worker polls for workflow tasks: those
 * workflows cannot make progress, which the list says before anyone opens them. At most `limit`
 * queues are asked (a tenant's workflows share one or two).
 */
export async function idleTaskQueues(client: Client, rows: Array<{ status: string; taskQueue: string }>, limit = 5): Promise<IdleTaskQueue[]> {
  const running = new Map<string, number>();
  for (const r of rows) if (r.status === 'RUNNING' && r.taskQueue) running.set(r.taskQueue, (running.get(r.taskQueue) ?? 0) + 1);
  const asked = await Promise.all([...running.keys()].slice(0, limit).map((q) => recentWorkers(client, q)));
  return asked.filter((w): w is TaskQueueWorkers => !!w?.noWorkflowPoller).map((w) => ({ taskQueue: w.taskQueue, running: running.get(w.taskQueue) ?? 0 }));
}

// The list asks on every load, so each queue's answer is kept a few seconds (Temporal itself keeps
// a poller listed for minutes after its last poll: a shorter memory would show nothing sooner).
const RECENT_MS = 5_000;
const recent = new Map<string, { at: number; workers: Promise<TaskQueueWorkers | null> }>();

function recentWorkers(client: Client, taskQueue: string): Promise<TaskQueueWorkers | null> {
  const key = `${client.options.namespace}\0${taskQueue}`;
  const hit = recent.get(key);
  if (hit && Date.now() - hit.at < RECENT_MS) return hit.workers;
  const workers = taskQueueWorkers(client, taskQueue).catch(() => null);
  recent.set(key, { at: Date.now(), workers });
  if (recent.size > 1_000) recent.delete(recent.keys().next().value!);
  return workers;
}
