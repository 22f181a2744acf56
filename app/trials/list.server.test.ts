// The trials list is one row per trial user: a reset leaves two runs of one workflow id in
// visibility, shown as one row (the latest run, "2 runs") on the right page, and counted once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnboarding } from '../../temporal/starters';
import { DURÉES_PRODUCTION } from '../../temporal/workflows/onboarding.contract';
import { resetPoints, resetWorkflow } from '../workflows/ops.server';
import { listWorkflowPage, workflowRuns } from '../workflows/list.server';
import { PHASES } from '../workflows/labels';
import { latestRunsOnly, sortedWorkflowPage } from '../workflows/visibility.server';
import { runChains } from '../workflows/run-chains.server';
import { makeTenant, testDb, uid } from '../../test-support/factories';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';
import { listTrials, trialFilter, trialListParams, trialMatches } from './search.server';
import { serverT } from '../i18n/server-t.server';
import { env } from '../server/env.server';
import Long from 'long';

const en = serverT('en', 'workflows');

let s: TestStack;
let tenantId: string;
let users: string[];
let reset: string;

beforeAll(async () => {
  s = await startTestStack('trial-list');
  tenantId = (await makeTenant('Trial list')).id;
  users = [0, 1, 2, 3].map((i) => `${tenantId}-u${i}`);
  for (const id of users) {
    await testDb().trialUser.create({ data: { id, tenantId, email: `${id}@example.test`, name: `Trial ${id}` } });
    await startOnboarding(s.client, { tenantId, utilisateurId: id, email: `${id}@example.test`, prénom: 'Test', planEssaiId: 'trial-14j', durées: DURÉES_PRODUCTION }, { taskQueue: s.taskQueue });
  }
  // The second user's trial is reset twice: three runs of one workflow id, the first two terminated.
  reset = `onboarding-${users[1]}`;
  for (let i = 0; i < 2; i++) {
    await waitFor('a workflow task to reset to', async () => (await resetPoints(s.client, reset, (await s.client.workflow.getHandle(reset).describe()).runId, en)).length > 0);
    await resetWorkflow(s.client, tenantId, reset, 'test reset', uid('req'), en);
  }
  await waitFor('the three runs in visibility', async () => (await workflowRuns(s.client, tenantId, reset)).runs.length === 3);
}, 60_000);
afterAll(async () => {
  await s?.close();
});

describe('the trials list', () => {
  it('shows a reset trial once, with its runs and its first start, and counts users', async () => {
    const { runs } = await workflowRuns(s.client, tenantId, reset);
    const page = await listTrials(s.client, tenantId, trialListParams.parse({}));
    expect(page.total).toBe(users.length);
    expect(page.rows.map((r) => r.userId).sort()).toEqual([...users].sort());
    const row = page.rows.find((r) => r.userId === users[1])!;
    expect(row).toMatchObject({ runs: 3, status: 'RUNNING', startTime: runs[0].startTime });
    expect(page.rows.filter((r) => r.userId !== users[1]).every((r) => r.runs === 1)).toBe(true);
  });

  it('pages over users one or two at a time without repeating or losing one, in every order', async () => {
    const filter = trialFilter(trialListParams.parse({}));
    const orders = [undefined, { clause: (v: string | number | boolean) => `TrialDay = ${v}`, values: [0, 1, 2] }];
    for (const [buckets, pageSize] of orders.flatMap((b) => [[b, 1], [b, 2]] as const)) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await sortedWorkflowPage(s.client, tenantId, { filter, buckets, pageSize, cursor, keep: latestRunsOnly(s.client, tenantId, runChains(s.client, tenantId, filter)).keep });
        expect(page.rows.length).toBeLessThanOrEqual(pageSize);
        seen.push(...page.rows.map((r) => r.workflowId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(seen.sort()).toEqual(users.map((u) => `onboarding-${u}`).sort());
    }
    // And the list's own sorts, with the count of users on each.
    for (const sort of ['started', 'day-asc', 'phase'] as const) {
      const page = await listTrials(s.client, tenantId, trialListParams.parse({ sort }));
      expect(page.total).toBe(users.length);
      expect(page.rows.map((r) => r.userId).sort()).toEqual([...users].sort());
    }
  });

  it('filters by the latest run: the terminated runs of a reset are neither listed nor counted', async () => {
    const terminated = await listTrials(s.client, tenantId, trialListParams.parse({ status: 'Terminated' }));
    expect(terminated.rows).toEqual([]);
    expect(terminated.total).toBe(0);
    const running = await listTrials(s.client, tenantId, trialListParams.parse({ status: 'Running' }));
    expect(running.total).toBe(users.length);
    expect(running.rows).toHaveLength(users.length);
  });

  it('trialMatches answers as visibility does, for each filter the list offers', async () => {
    const every = (await listWorkflowPage(s.client, tenantId, { filter: trialFilter(trialListParams.parse({})), pageSize: 1000 })).rows;
    const queries = [{ status: 'Running' }, { status: 'Terminated' }, { status: 'Completed' }, { phase: PHASES[0] }, { phase: PHASES[3] }, { day: '0' }, { day: '3' }, { subscribed: 'false' }, { subscribed: 'true' }, { status: 'Terminated', day: '0', subscribed: 'false' }];
    let nonEmpty = 0;
    for (const q of queries) {
      const p = trialListParams.parse(q);
      const visibility = (await listWorkflowPage(s.client, tenantId, { filter: trialFilter(p), pageSize: 1000 })).rows.map((r) => r.runId).sort();
      expect(every.filter(trialMatches(p)).map((r) => r.runId).sort(), JSON.stringify(q)).toEqual(visibility);
      if (visibility.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(4);
  });

  it('shows a reset made through the console at once, though the run chains are remembered', async () => {
    const before = await listTrials(s.client, tenantId, trialListParams.parse({}));
    const target = `onboarding-${users[2]}`;
    expect(before.rows.find((r) => r.workflowId === target)?.runs).toBe(1);
    await resetWorkflow(s.client, tenantId, target, 'test reset', uid('req'), en);
    await waitFor('the two runs in visibility', async () => (await workflowRuns(s.client, tenantId, target)).runs.length === 2);
    const after = await listTrials(s.client, tenantId, trialListParams.parse({}));
    expect(after.total).toBe(users.length);
    expect(after.rows.filter((r) => r.workflowId === target)).toEqual([expect.objectContaining({ runs: 2, status: 'RUNNING', startTime: before.rows.find((r) => r.workflowId === target)!.startTime })]);
  });

  it('remembers the run chains for RUN_CHAINS_CACHE_MS: a reset made elsewhere shows once they are read again, and is never listed twice before', async () => {
    const filter = trialFilter(trialListParams.parse({}));
    const remembered = runChains(s.client, tenantId, filter);
    expect(runChains(s.client, tenantId, filter)).toBe(remembered);
    // Reset straight through Temporal (as the CLI does): this process is not told.
    const target = `onboarding-${users[3]}`;
    const { runId } = await s.client.workflow.getHandle(target).describe();
    await waitFor('a workflow task to reset to', async () => (await resetPoints(s.client, target, runId, en)).length > 0);
    const [point] = await resetPoints(s.client, target, runId, en);
    await s.client.connection.workflowService.resetWorkflowExecution({
      namespace: s.client.options.namespace, workflowExecution: { workflowId: target, runId }, reason: 'reset by the CLI',
      workflowTaskFinishEventId: Long.fromNumber(point!.eventId), requestId: uid('req'),
    });
    await waitFor('the two runs in visibility', async () => (await workflowRuns(s.client, tenantId, target)).runs.length === 2);
    // Still remembered: the new run is listed once (it runs), its terminated run nowhere.
    expect(runChains(s.client, tenantId, filter)).toBe(remembered);
    const stale = await listTrials(s.client, tenantId, trialListParams.parse({}));
    expect(stale.rows.filter((r) => r.workflowId === target)).toEqual([expect.objectContaining({ status: 'RUNNING' })]);
    expect(stale.rows).toHaveLength(users.length);
    // Read again once the time has passed: grouped and counted once.
    const later = Date.now() + env().RUN_CHAINS_CACHE_MS;
    const fresh = await runChains(s.client, tenantId, filter, later);
    expect(fresh.get(target)).toHaveLength(2);
    const page = await listTrials(s.client, tenantId, trialListParams.parse({}));
    expect(page.total).toBe(users.length);
    expect(page.rows.find((r) => r.workflowId === target)?.runs).toBe(2);
  });
});
