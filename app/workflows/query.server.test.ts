import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { createTemporalClient } from '../../temporal/config';
import { OnboardingPhase, Subscribed, tenantQuery, TenantId, TrialDay } from '../../temporal/search-attributes';
import { uid } from '../../test-support/ids';
import { workflowCsvStream } from './export.server';
import { parseWorkflowFilter, workflowQueryClause } from './filters.server';
import { listWorkflowPage, type WorkflowRow } from './list.server';
import { advancedQueryClause, advancedQueryProblem } from './query.server';
import { serverT } from '../i18n/server-t.server';

/** The words an English operator reads. */
const en = serverT('en', 'workflows');

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (thrown) {
    return thrown as Response;
  }
  throw new Error('not refused');
};

describe('the advanced query box', () => {
  it.each([
    ['an OR naming another tenant', "ExecutionStatus = 'Running' OR TenantId = 'other'", /cannot name TenantId/],
    ['the tenant attribute in another case', "tenantid != ''", /cannot name TenantId/],
    ['a parenthesis closing the tenant clause', "ExecutionStatus = 'Running') OR (WorkflowType != ''", /closes a parenthesis that was never opened/],
    ['an opened parenthesis', "(ExecutionStatus = 'Running' OR WorkflowType != ''", /not balanced/],
    ['a quote left open to swallow the closing parenthesis', "WorkflowId = 'x", /not closed/],
    ['a line comment hiding the closing parenthesis', "WorkflowType != '' --", /comments/],
    ['a block comment', "WorkflowType != '' /* ) OR (1=1 */", /comments/],
    ['a hash comment', "WorkflowType != '' # x", /comments/],
    ['a backslash-escaped quote', "WorkflowId = 'a\\' OR TenantId = 'b'", /backslashes/],
    ['a back-quoted tenant name', "`TenantId` = 'other'", /back-quoted/],
    ['a second statement', "WorkflowType != ''; DELETE", /“;”/],
  ])('refuses %s with a 400 that says why', async (_what, query, why) => {
    expect(advancedQueryProblem(query, en)).toMatch(why);
    const r = refusal(() => advancedQueryClause(query, en));
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/^Filter “q”: /);
  });

  it('accepts an OR (it stays inside the tenant clause’s parentheses) and quoted text that looks like syntax', () => {
    expect(advancedQueryProblem("ExecutionStatus = 'Running' OR WorkflowType != ''", en)).toBeNull();
    expect(advancedQueryProblem("WorkflowId = ') OR (TenantId' AND OrderId = '--x'", en)).toBeNull();
    expect(tenantQuery('a', advancedQueryClause("TrialDay > 3 OR Subscribed = true", en))).toBe("TenantId = 'a' AND (TrialDay > 3 OR Subscribed = true)");
  });
});

// Against the real server: the list, the export and Temporal's own answer to the same query agree,
// and nothing of another tenant comes through an OR.
let client: Client;
const tenant = uid('t');
const other = `${tenant}-other`;
const days = [1, 4, 7, 9, 12];

beforeAll(async () => {
  client = await createTemporalClient();
  await Promise.all(days.map((day, i) => client.workflow.start('workflowOnboardingTrial', {
    taskQueue: `nobody-${tenant}`,
    workflowId: `onboarding-${tenant}-${i}`,
    args: [{}],
    typedSearchAttributes: [
      { key: TenantId, value: tenant }, { key: TrialDay, value: day },
      { key: OnboardingPhase, value: day >= 7 ? 'conversion' : 'activation' }, { key: Subscribed, value: i % 2 === 0 },
    ],
  })));
  await client.workflow.start('workflowOnboardingTrial', {
    taskQueue: `nobody-${tenant}`, workflowId: `onboarding-${other}`, args: [{}],
    typedSearchAttributes: [{ key: TenantId, value: other }, { key: TrialDay, value: 9 }, { key: OnboardingPhase, value: 'conversion' }, { key: Subscribed, value: false }],
  });
  for (let i = 0; (await client.workflow.count(`TenantId IN ('${tenant}', '${other}')`)).count < days.length + 1; i++) {
    if (i > 50) throw new Error('visibility did not catch up');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);
afterAll(() => client.connection.close());

async function allRows(clause: string | undefined, pageSize = 2) {
  const rows: WorkflowRow[] = [];
  let token: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listWorkflowPage>> = await listWorkflowPage(client, tenant, { filter: clause, pageSize, pageToken: token });
    rows.push(...page.rows);
    token = page.nextPageToken;
  } while (token);
  return rows.map((r) => r.workflowId).sort();
}
async function sdkIds(query: string) {
  const ids: string[] = [];
  for await (const w of client.workflow.list({ query })) ids.push(w.workflowId);
  return ids.sort();
}
const filter = (fields: Record<string, string>) => parseWorkflowFilter(Object.entries(fields)).data!;

describe('search-attribute conditions and the advanced query, against Temporal', () => {
  it('three attribute conditions list what Temporal lists for the same query, within the tenant', async () => {
    const clause = await workflowQueryClause(client, filter({ a1: 'TrialDay', o1: 'ge', v1: '4', a2: 'OnboardingPhase', v2: 'conversion', a3: 'Subscribed', o3: 'eq', v3: 'false' }), en);
    expect(clause).toBe("TrialDay >= 4 AND OnboardingPhase = 'conversion' AND Subscribed = false");
    expect(await allRows(clause)).toEqual([`onboarding-${tenant}-3`]);
    expect(await allRows(clause)).toEqual(await sdkIds(tenantQuery(tenant, clause)));
  });

  it('an OR in the advanced query stays inside the tenant', async () => {
    const clause = await workflowQueryClause(client, filter({ q: "TrialDay = 9 OR WorkflowType != ''" }), en);
    const ids = await allRows(clause);
    expect(ids).toHaveLength(days.length);
    expect(ids).not.toContain(`onboarding-${other}`);
  });

  it('refuses TenantId, unknown attributes and values their type cannot hold, naming the condition', async () => {
    for (const [fields, message] of [
      [{ a1: 'TenantId', v1: other }, /“a1”: TenantId is set by the console/],
      [{ a2: 'NoSuchAttribute', v2: 'x' }, /“a2”: NoSuchAttribute is not a search attribute/],
      [{ a1: 'TrialDay', v1: '3 OR 1=1' }, /“v1”: .* is not a Int value/],
      [{ a1: 'OnboardingPhase', o1: 'gt', v1: 'a' }, /“o1”: OnboardingPhase \(Keyword\) can only be compared with = or !=/],
      [{ a1: 'OnboardingPhase', v1: "x' OR TenantId != 'y" }, /“v1”: .* is not a Keyword value/],
    ] as const) {
      const thrown = await workflowQueryClause(client, filter(fields), en).then(() => null, (r: Response) => r);
      expect(thrown?.status).toBe(400);
      expect(((await thrown!.json()) as { error: string }).error).toMatch(message);
    }
  });

  it('exports every page of the filter as CSV, the same rows Temporal lists', async () => {
    const clause = await workflowQueryClause(client, filter({ a1: 'TrialDay', o1: 'gt', v1: '1' }), en);
    const text = await new Response(workflowCsvStream(client, tenant, clause, 'Europe/Paris', 2)).text();
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('workflow_id,run_id,type,status,start_time_utc,close_time_utc,start_time_local,history_length,search_attributes');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(await sdkIds(tenantQuery(tenant, clause)));
    expect(lines).toHaveLength(1 + 4);
    expect(lines[1]).toMatch(/ Europe\/Paris,/);
  });
});
