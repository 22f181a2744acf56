// The dashboard's Temporal counts against the real dev server: workflows started on a task
// queue nobody polls, with the search attributes the real workflows publish.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemporalClient } from '../../temporal/config';
import { OnboardingPhase, SagaStatus, TenantId } from '../../temporal/search-attributes';
import { countGroupedBy, SAGA_STATUSES } from './dashboard.server';
import { ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE, PHASES } from '../workflows/labels';
import { uid } from '../../test-support/ids';

const clientPromise = createTemporalClient();
const started: string[] = [];
afterAll(async () => {
  const client = await clientPromise;
  await Promise.all(started.map((id) => client.workflow.getHandle(id).terminate('test over').catch(() => {})));
  await client.connection.close();
});

async function start(type: string, tenantId: string, attribute: typeof OnboardingPhase, value: string) {
  const client = await clientPromise;
  const workflowId = `dash-${randomUUID()}`;
  started.push(workflowId);
  await client.workflow.start(type, {
    workflowId,
    taskQueue: `nobody-${randomUUID()}`,
    args: [],
    typedSearchAttributes: [{ key: TenantId, value: tenantId }, { key: attribute, value }],
  });
}

describe('countGroupedBy', () => {
  it('counts a tenant’s trials by phase and sagas by status, and nothing of another tenant', async () => {
    const tenant = uid('dash');
    const other = uid('dash');
    await start(ONBOARDING_WORKFLOW_TYPE, tenant, OnboardingPhase, 'inscription');
    await start(ONBOARDING_WORKFLOW_TYPE, tenant, OnboardingPhase, 'inscription');
    await start(ONBOARDING_WORKFLOW_TYPE, tenant, OnboardingPhase, 'activation');
    await start(ONBOARDING_WORKFLOW_TYPE, other, OnboardingPhase, 'activation');
    await start(PAYMENT_WORKFLOW_TYPE, tenant, SagaStatus, 'échouée');
    const client = await clientPromise;
    const trials = () => countGroupedBy(client, tenant, `WorkflowType = '${ONBOARDING_WORKFLOW_TYPE}'`, 'OnboardingPhase', PHASES);
    await expect.poll(trials, { timeout: 10_000 }).toEqual({ ...Object.fromEntries(PHASES.map((p) => [p, 0])), inscription: 2, activation: 1 });
    const sagas = await countGroupedBy(client, tenant, `WorkflowType = '${PAYMENT_WORKFLOW_TYPE}'`, 'SagaStatus', SAGA_STATUSES);
    expect(sagas).toEqual({ ...Object.fromEntries(SAGA_STATUSES.map((s) => [s, 0])), échouée: 1 });
  });
});
