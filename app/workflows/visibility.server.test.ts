import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { createTemporalClient } from '../../temporal/config';
import { TenantId, TrialDay, OnboardingPhase } from '../../temporal/search-attributes';
import { listTrials, trialListParams } from '../trials/search.server';
import { ONBOARDING_WORKFLOW_TYPE, onboardingWorkflowId } from '../../temporal/workflows/onboarding.contract';
import { countByStatus, sortedWorkflowPage } from './visibility.server';
import { uid } from '../../test-support/ids';

// Workflows started on a task queue no worker polls: they stay Running with their
// search attributes, which is all visibility needs.
let client: Client;
const tenant = uid('t');
const days = [5, 0, 14, 3, 3, 9, 1];

beforeAll(async () => {
  client = await createTemporalClient();
  await Promise.all(days.map((day, i) => client.workflow.start(ONBOARDING_WORKFLOW_TYPE, {
    taskQueue: `nobody-${tenant}`,
    workflowId: onboardingWorkflowId(`${tenant}-${i}`),
    args: [{}],
    typedSearchAttributes: [{ key: TenantId, value: tenant }, { key: TrialDay, value: day }, { key: OnboardingPhase, value: day >= 7 ? 'conversion' : 'inscription' }],
  })));
  // Another tenant's workflow must never show up.
  await client.workflow.start(ONBOARDING_WORKFLOW_TYPE, { taskQueue: 'nobody', workflowId: onboardingWorkflowId(`other-${tenant}`), args: [{}], typedSearchAttributes: [{ key: TenantId, value: `${tenant}-other` }, { key: TrialDay, value: 2 }] });
});
afterAll(() => client.connection.close());

describe('visibility paging and sorting', () => {
  it('sorts by trial day across pages using per-value buckets', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listTrials(client, tenant, trialListParams.parse({ sort: 'day-asc', size: 25, ...(cursor ? { cursor } : {}) }));
      expect(page.total).toBe(days.length);
      seen.push(...page.rows.map((r) => r.day!));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...days].sort((a, b) => a - b));
  });

  it('pages with a small page size without losing or repeating a row', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await sortedWorkflowPage(client, tenant, {
        pageSize: 2, cursor, buckets: { clause: (v) => `TrialDay = ${v}`, values: Array.from({ length: 15 }, (_, i) => 14 - i) },
      });
      expect(page.rows.length).toBeLessThanOrEqual(2);
      ids.push(...page.rows.map((r) => r.workflowId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(days.length);
    expect(ids).toHaveLength(days.length);
  });

  it('refuses a cursor it did not issue for this list with a 400 naming it, before Temporal sees its token', async () => {
    const refusal = (cursor: string, filter?: string) =>
      sortedWorkflowPage(client, tenant, { pageSize: 2, cursor, filter }).then(() => null, (thrown: unknown) => thrown as Response);
    const junk = Buffer.from('{"b":0,"t":"AAAA"}').toString('base64url');
    const started = Date.now();
    for (const cursor of [junk, `${junk}.forged`, 'NaN', '%00']) {
      const thrown = await refusal(cursor);
      expect(thrown).toBeInstanceOf(Response);
      expect(thrown!.status).toBe(400);
      expect(((await thrown!.json()) as { error: string }).error).toMatch(/^Filter “cursor”: /);
    }
    expect(Date.now() - started).toBeLessThan(2_000); // no retries against Temporal
    // A real cursor is bound to its tenant and its filters.
    const first = await sortedWorkflowPage(client, tenant, { pageSize: 2, cursor: null });
    expect(first.nextCursor).toBeTruthy();
    expect((await sortedWorkflowPage(client, tenant, { pageSize: 2, cursor: first.nextCursor })).rows).toHaveLength(2);
    expect((await refusal(first.nextCursor!, 'TrialDay = 3'))?.status).toBe(400);
    expect((await sortedWorkflowPage(client, `${tenant}-other`, { pageSize: 2, cursor: first.nextCursor }).catch((r: Response) => r)) as Response).toMatchObject({ status: 400 });
  });

  it('filters by search attribute and counts by status, within the tenant only', async () => {
    const page = await listTrials(client, tenant, trialListParams.parse({ phase: 'conversion' }));
    expect(page.rows.map((r) => r.day).sort()).toEqual([14, 9]);
    expect(await countByStatus(client, tenant)).toEqual({ Running: days.length });
  });
});
