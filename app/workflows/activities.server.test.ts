// Pending activities and the call stack as the workflow page shows them, cross-checked against
// Temporal's own DescribeWorkflowExecution for the same workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectFault, type FaultSpec } from '../../ports/faults';
import { startOnboarding, startPaymentSaga } from '../../temporal/starters';
import { uid } from '../../test-support/ids';
import { startTestStack, TEST_DURÉES, waitFor, type TestStack } from '../../test-support/temporal';
import { callStack, pendingActivities } from './activities.server';
import { serverT } from '../i18n/server-t.server';

/** The words an English operator reads. */
const en = serverT('en', 'workflows');

let s: TestStack;
const tenantId = uid('t-act');

beforeAll(async () => {
  s = await startTestStack('activities');
});
afterAll(async () => {
  await s?.close();
});

async function saga(fault: Omit<FaultSpec, 'target'>) {
  const commandeId = uid('CMA');
  await injectFault(s.db, { ...fault, target: commandeId });
  return startPaymentSaga(s.client, { tenantId, commandeId, acheteurId: uid('cus'), vendeurId: uid('acct'), montantTotal: 18_000 }, { taskQueue: s.taskQueue });
}

const iso = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  t?.seconds != null ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : null;

describe('pendingActivities', () => {
  it('shows a retrying activity’s attempt, next retry, last worker and last failure as Temporal reports them', async () => {
    // The provider never answers the charge: débiterAcheteur is retried (4 attempts, 2 s, 4 s, 8 s).
    const h = await saga({ operation: 'charge', mode: 'timeout' });
    const d = await waitFor('a second attempt to be scheduled', async () => {
      const d = await h.describe();
      const a = d.raw.pendingActivities?.[0];
      return a && (a.attempt ?? 0) >= 2 && a.nextAttemptScheduleTime && a.lastFailure ? d : undefined;
    });
    const raw = d.raw.pendingActivities![0];
    const [a] = pendingActivities(d, en);
    expect(a.activityType).toBe('débiterAcheteur');
    expect(a.attempt).toBe(raw.attempt);
    expect(a.maximumAttempts).toBe(4);
    expect(a.state).toBe('SCHEDULED');
    expect(a.nextAttemptScheduleTime).toBe(iso(raw.nextAttemptScheduleTime));
    expect(Date.parse(a.nextAttemptScheduleTime!)).toBeGreaterThan(Date.parse(a.lastAttemptCompleteTime!));
    expect(a.lastWorkerIdentity).toBe(raw.lastWorkerIdentity);
    expect(a.lastWorkerIdentity).toBeTruthy();
    expect(a.lastFailure![0].message).toContain('injected timeout');
    expect(a.lastFailure![0].stackTrace).toMatch(/at /);
    await h.terminate('test done');
  });

  it('shows the last heartbeat of an activity still running', async () => {
    // The provider holds the charge for 6 s; the activity heartbeats meanwhile.
    const h = await saga({ operation: 'charge', mode: 'delay', delayMs: 6_000 });
    const d = await waitFor('a heartbeat', async () => {
      const d = await h.describe();
      return d.raw.pendingActivities?.[0]?.lastHeartbeatTime ? d : undefined;
    });
    const [a] = pendingActivities(d, en);
    expect(a.state).toBe('STARTED');
    expect(a.attempt).toBe(1);
    expect(a.lastHeartbeatTime).toBe(iso(d.raw.pendingActivities![0].lastHeartbeatTime));
    expect(a.lastStartedTime).toBeTruthy();
    expect(a.nextAttemptScheduleTime).toBeNull();
    await h.result().catch(() => undefined);
  });
});

describe('callStack', () => {
  it('reads where a running trial waits, and says a closed workflow has none', async () => {
    const h = await startOnboarding(s.client, { tenantId, utilisateurId: uid('u'), email: `${uid('u')}@example.test`, prénom: 'T', planEssaiId: 'trial-14j', durées: TEST_DURÉES }, { taskQueue: s.taskQueue });
    const stack = await waitFor('a call stack', async () => {
      const r = await callStack(s.client, await h.describe(), en);
      return r.ok ? r.stack : undefined;
    });
    expect(stack).toMatch(/temporal\/workflows\/onboarding\.ts/);
    await h.terminate('test done');
    expect(await callStack(s.client, await h.describe(), en)).toEqual({ ok: false, reason: 'The workflow is closed: it has no call stack.' });
  });
});
