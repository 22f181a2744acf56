// The task queue's pollers as the workflow page shows them, cross-checked against Temporal's own
// DescribeTaskQueue, and the "no worker is polling" warning for a queue nobody serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal as proto } from '@temporalio/proto';
import { TenantId } from '../../temporal/search-attributes';
import { makeStaff, makeTenant, sessionCookieFor, uid } from '../../test-support/factories';
import { loaderData } from '../../test-support/loader-data';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';
import { loader as pageLoader } from '../routes/t.$tenantId.workflows.$workflowId';
import { taskQueueWorkers } from './workers.server';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack('workers');
});
afterAll(async () => {
  await s?.close();
});

async function temporalPollers(taskQueue: string, type: proto.api.enums.v1.TaskQueueType) {
  const res = await s.client.connection.workflowService.describeTaskQueue({ namespace: s.client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: type });
  return (res.pollers ?? []).map((p) => p.identity).sort();
}

describe('taskQueueWorkers', () => {
  it('lists the workflow and activity pollers Temporal reports for the queue, with their last access', async () => {
    const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = proto.api.enums.v1.TaskQueueType;
    await waitFor('the test worker to poll', async () => (await temporalPollers(s.taskQueue, TASK_QUEUE_TYPE_ACTIVITY)).length > 0 && (await temporalPollers(s.taskQueue, TASK_QUEUE_TYPE_WORKFLOW)).length > 0);
    const w = await taskQueueWorkers(s.client, s.taskQueue);
    expect(w.noWorkflowPoller).toBe(false);
    expect(w.noActivityPoller).toBe(false);
    expect(w.pollers.filter((p) => p.kind === 'workflow').map((p) => p.identity).sort()).toEqual(await temporalPollers(s.taskQueue, TASK_QUEUE_TYPE_WORKFLOW));
    expect(w.pollers.filter((p) => p.kind === 'activity').map((p) => p.identity).sort()).toEqual(await temporalPollers(s.taskQueue, TASK_QUEUE_TYPE_ACTIVITY));
    for (const p of w.pollers) {
      expect(p.identity).toMatch(/\S/);
      expect(Date.now() - Date.parse(p.lastAccessTime!)).toBeLessThan(5 * 60_000);
    }
  });

  it('says nobody polls a queue no worker serves, and the workflow page warns and does not wait for a call stack', async () => {
    const queue = uid('nobody');
    const w = await taskQueueWorkers(s.client, queue);
    expect(w).toMatchObject({ pollers: [], noWorkflowPoller: true, noActivityPoller: true });

    const tenant = await makeTenant();
    const { header: cookie } = await sessionCookieFor(await makeStaff({ [tenant.id]: 'oncall' }), tenant.id);
    const workflowId = `onboarding-${uid('u')}`;
    await s.client.workflow.start('workflowOnboardingTrial', { taskQueue: queue, workflowId, args: [{}], typedSearchAttributes: [{ key: TenantId, value: tenant.id }] });
    const started = Date.now();
    const res = await pageLoader({
      request: new Request(`http://localhost/t/${tenant.id}/workflows/${workflowId}`, { headers: { Cookie: cookie } }),
      params: { tenantId: tenant.id, workflowId },
      context: { clientAddress: '127.0.0.1', cspNonce: 'test' },
    });
    const d = await loaderData<typeof pageLoader>(res);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(d.live.workers).toMatchObject({ taskQueue: queue, pollers: [], noWorkflowPoller: true });
    expect(d.live.stack).toEqual({ ok: false, reason: 'No worker polls this task queue, so none can answer.' });
    await s.client.workflow.getHandle(workflowId).terminate('test done');
  });
});
