import { describe, expect, it } from 'vitest';
import { tenantQuery } from '../../temporal/search-attributes';
import { batchForm } from './batch.server';
import { idsClause, inOperatorZone, parseWorkflowFilter, refuseInvalidQuery, refuseUnknownColumns, workflowFilterClause, workflowListQuery } from './filters.server';
import { readSearch } from '../server/http.server';
import { serverT } from '../i18n/server-t.server';

/** The words an English operator reads. */
const en = serverT('en', 'workflows');

describe('workflow filters', () => {
  it('turns validated filters into a visibility clause', () => {
    const r = parseWorkflowFilter(Object.entries({ status: 'Running', type: 'workflowOnboardingTrial', phase: 'activation', from: '2026-11-01T00:00', orderId: '' }));
    expect(r.success).toBe(true);
    expect(workflowFilterClause(r.data!)).toBe(
      "ExecutionStatus = 'Running' AND WorkflowType = 'workflowOnboardingTrial' AND StartTime >= '2026-11-01T00:00:00.000Z' AND OnboardingPhase = 'activation'",
    );
  });

  it('reads “started after / before” in the browser’s zone, not as UTC', () => {
    const r = parseWorkflowFilter(Object.entries({ from: '2026-11-30T20:46', to: '2026-07-01T08:00:30', tz: 'Europe/Paris' }));
    expect(workflowFilterClause(r.data!)).toBe("StartTime >= '2026-11-30T19:46:00.000Z' AND StartTime <= '2026-07-01T06:00:30.000Z'");
    // An explicit instant stays the instant it names, whatever the zone.
    const instant = parseWorkflowFilter(Object.entries({ from: '2026-11-30T20:46:00+01:00', tz: 'America/New_York' }));
    expect(workflowFilterClause(instant.data!)).toBe("StartTime >= '2026-11-30T19:46:00.000Z'");
  });

  it('reads them in the operator’s stored zone when the URL names none, and in UTC for an operator without one', () => {
    const r = parseWorkflowFilter(Object.entries({ from: '2026-11-30T20:46' }));
    expect(workflowFilterClause(inOperatorZone(r.data!, { timeZone: 'Europe/Paris' }))).toBe("StartTime >= '2026-11-30T19:46:00.000Z'");
    expect(workflowFilterClause(inOperatorZone(r.data!, { timeZone: null }))).toBe("StartTime >= '2026-11-30T20:46:00.000Z'");
    // A zone the URL names wins over the stored one.
    const named = parseWorkflowFilter(Object.entries({ from: '2026-11-30T20:46', tz: 'America/New_York' }));
    expect(workflowFilterClause(inOperatorZone(named.data!, { timeZone: 'Europe/Paris' }))).toBe("StartTime >= '2026-12-01T01:46:00.000Z'");
  });

  it('gives a batch over the filter the same converted window as the list', () => {
    const fields = { from: '2026-10-25T02:30', to: '2026-10-25T03:10', tz: 'Europe/Paris', status: 'Running' };
    const list = workflowListQuery.parse(fields);
    const batch = batchForm.parse({ ...fields, idempotencyKey: 'key-12345678', op: 'cancel', scope: 'filter', expectedCount: '2' });
    expect(workflowFilterClause(batch)).toBe(workflowFilterClause(list));
    expect(workflowFilterClause(batch)).toContain("StartTime >= '2026-10-25T00:30:00.000Z' AND StartTime <= '2026-10-25T02:10:00.000Z'");
  });

  it.each([
    ['status', "Running' OR TenantId != 'x"],
    ['orderId', "a' OR '1'='1"],
    ['workflowId', 'x) OR (1=1'],
    ['from', 'yesterday-ish'],
    ['from', '2026-02-30T10:00'],
    ['tz', 'Mars/Olympus_Mons'],
    ['tz', "Europe/Paris' OR 1=1"],
  ])('refuses %s = %s instead of building a query from it', (key, value) => {
    expect(parseWorkflowFilter([[key, value]]).success).toBe(false);
  });

  it('always starts with the tenant clause and refuses ids that could escape it', () => {
    expect(tenantQuery('datasync', idsClause(['onboarding-u1', 'onboarding-u2']))).toBe(
      "TenantId = 'datasync' AND (WorkflowId IN ('onboarding-u1', 'onboarding-u2'))",
    );
    expect(() => idsClause(["x') OR TenantId = 'other"])).toThrow(/not a valid visibility value/);
  });
});

describe('workflow filters: dates Temporal would refuse', () => {
  it.each([
    ['from', '10000-01-01'],
    ['to', '+275760-09-13T00:00:00Z'],
    ['from', '+010000-01-01T00:00:00Z'],
    ['from', '1969-12-31T23:59:59Z'],
  ])('refuses %s = %s', (key, value) => {
    const r = parseWorkflowFilter([[key, value]]);
    expect(r.success).toBe(false);
  });

  it('keeps a wall-clock time read in any zone within years Temporal takes', () => {
    // 9999-12-31 23:59 in Los Angeles is already year 10000 in UTC: refused, not sent.
    const late = parseWorkflowFilter(Object.entries({ from: '9999-12-31T23:59', tz: 'America/Los_Angeles' }));
    expect(late.success).toBe(false);
    expect(late.error?.issues[0]?.message).toBe('expected a date and time between 1970-01-01 and 9999-12-31');
    const fine = parseWorkflowFilter(Object.entries({ from: '9999-12-30T23:59', tz: 'Pacific/Kiritimati' }));
    expect(workflowFilterClause(fine.data!)).toMatch(/^StartTime >= '9999-12-30T09:59:00.000Z'$/);
  });

  it('answers a query Temporal refuses (INVALID_ARGUMENT, raw or inside the client’s ServiceError) with a 400 naming “q”', async () => {
    const refusal = (error: unknown) => { try { refuseInvalidQuery(error, en); } catch (thrown) { return thrown; } };
    const invalid = { code: 3, details: 'invalid query: operation is not supported' };
    for (const error of [invalid, Object.assign(new Error('Failed to count workflows'), { name: 'ServiceError', cause: invalid })]) {
      const thrown = refusal(error) as Response;
      expect(thrown).toBeInstanceOf(Response);
      expect(thrown.status).toBe(400);
      expect(((await thrown.json()) as { error: string }).error).toBe('Filter “q”: Temporal cannot run this query (invalid query: operation is not supported).');
    }
    const unavailable = Object.assign(new Error('Failed to count workflows'), { cause: { code: 14 } });
    expect(refusal(unavailable)).toBe(unavailable);
  });
});

describe('the list’s columns', () => {
  it('default to the usual set, keep the order asked, drop repeats, and take search attributes as sa:<Name>', () => {
    expect(workflowListQuery.parse({}).cols).toEqual(['type', 'status', 'stage', 'started', 'closed']);
    expect(workflowListQuery.parse({ cols: 'sa:TrialDay, status,sa:TrialDay,taskQueue' }).cols).toEqual(['sa:TrialDay', 'status', 'taskQueue']);
  });

  it.each([
    ['nope', /“nope” is not a column/],
    ['status,sa:', /“sa:” is not a column/],
    ["sa:TrialDay') OR 1=1", /is not a column/],
    [Array.from({ length: 17 }, (_, i) => `sa:A${i}`).join(','), /at most 16 columns/],
  ])('refuses cols = %s, naming it', (cols, message) => {
    const r = readSearch(new URLSearchParams({ cols }), workflowListQuery);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^Filter “cols”: /);
    expect(!r.ok && r.error).toMatch(message);
  });

  it('refuses a search-attribute column the namespace does not have', () => {
    expect(() => refuseUnknownColumns(['status', 'sa:TrialDay'], { TrialDay: 'Int' }, en)).not.toThrow();
    let thrown: unknown;
    try {
      refuseUnknownColumns(['sa:Ghost'], { TrialDay: 'Int' }, en);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(400);
  });
});
