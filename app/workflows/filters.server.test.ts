import { describe, expect, it } from 'vitest';
import { tenantQuery } from '../../temporal/search-attributes';
import { idsClause, parseWorkflowFilter, workflowFilterClause } from './filters.server';

describe('workflow filters', () => {
  it('turns validated filters into a visibility clause', () => {
    const r = parseWorkflowFilter(Object.entries({ status: 'Running', type: 'workflowOnboardingTrial', phase: 'activation', from: '2026-11-01T00:00', orderId: '' }));
    expect(r.success).toBe(true);
    expect(workflowFilterClause(r.data!)).toBe(
      `ExecutionStatus = 'Running' AND WorkflowType = 'workflowOnboardingTrial' AND StartTime >= '${new Date('2026-11-01T00:00').toISOString()}' AND OnboardingPhase = 'activation'`,
    );
  });

  it.each([
    ['status', "Running' OR TenantId != 'x"],
    ['orderId', "a' OR '1'='1"],
    ['workflowId', 'x) OR (1=1'],
    ['from', 'yesterday-ish'],
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
