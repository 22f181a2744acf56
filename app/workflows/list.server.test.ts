import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { createTemporalClient } from '../../temporal/config';
import { OnboardingPhase, Subscribed, TenantId, TrialDay } from '../../temporal/search-attributes';
import { uid } from '../../test-support/ids';
import { listWorkflowPage, type WorkflowRow } from './list.server';

// Our page decoder reads the raw visibility answer (the SDK's is private); it must say what the
// SDK's own client.workflow.list() says about the same workflows.
let client: Client;
const tenant = uid('t');

beforeAll(async () => {
  client = await createTemporalClient();
  for (const [i, subscribed] of [true, false, true].entries()) {
    await client.workflow.start('workflowOnboardingTrial', {
      taskQueue: `nobody-${tenant}`,
      workflowId: `onboarding-${tenant}-${i}`,
      args: [{}],
      typedSearchAttributes: [
        { key: TenantId, value: tenant },
        { key: TrialDay, value: i * 4 },
        { key: OnboardingPhase, value: 'activation' },
        { key: Subscribed, value: subscribed },
      ],
    });
  }
  await client.workflow.getHandle(`onboarding-${tenant}-2`).terminate('test');
});
afterAll(() => client.connection.close());

function sdkRow(info: WorkflowExecutionInfo): WorkflowRow {
  const searchAttributes: WorkflowRow['searchAttributes'] = {};
  for (const { key, value } of info.typedSearchAttributes.getAll()) {
    searchAttributes[key.name] = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(',') : (value as string | number | boolean);
  }
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    type: info.type,
    status: info.status.name,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString() ?? null,
    historyLength: info.historyLength,
    taskQueue: info.taskQueue,
    searchAttributes,
  };
}

describe('listWorkflowPage', () => {
  it('decodes a page exactly as the SDK does, page token included', async () => {
    const query = `TenantId = '${tenant}'`;
    let rows: WorkflowRow[] = [];
    for (let tries = 0; rows.length < 3 || rows.some((r) => r.status === 'RUNNING' && r.workflowId.endsWith('-2')); tries++) {
      expect(tries).toBeLessThan(50); // visibility is eventually consistent
      await new Promise((r) => setTimeout(r, 200));
      rows = [];
      let token: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listWorkflowPage>> = await listWorkflowPage(client, tenant, { pageSize: 2, pageToken: token });
        expect(page.rows.length).toBeLessThanOrEqual(2);
        rows.push(...page.rows);
        token = page.nextPageToken;
      } while (token);
    }
    const sdk: WorkflowRow[] = [];
    for await (const info of client.workflow.list({ query })) sdk.push(sdkRow(info));

    const byId = (a: WorkflowRow, b: WorkflowRow) => a.workflowId.localeCompare(b.workflowId);
    expect(rows.sort(byId)).toEqual(sdk.sort(byId));
    expect(rows.map((r) => r.status)).toEqual(['RUNNING', 'RUNNING', 'TERMINATED']);
    expect(rows[2].closeTime).not.toBeNull();
    expect(rows[1].searchAttributes).toMatchObject({ TenantId: tenant, TrialDay: 4, OnboardingPhase: 'activation', Subscribed: false });
  });
});
