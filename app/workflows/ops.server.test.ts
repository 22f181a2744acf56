// Operations on one workflow against the real Temporal dev server: pausing, unpausing and
// resetting one pending activity (Temporal 1.29's activity APIs), each audited and carrying the
// operator's identity; reset points named by their business step; a reset that excludes the
// signals received after its point.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectFault } from '../../ports/faults';
import { startOnboarding, startPaymentSaga } from '../../temporal/starters';
import { signalFonctionnalitéActivée } from '../../temporal/workflows/onboarding.contract';
import { makeStaff, makeTenantContext, sessionCookieFor, testDb, uid } from '../../test-support/factories';
import { action as activityAction } from '../routes/t.$tenantId.workflows.$workflowId.activity';
import { startTestStack, TEST_DURÉES, waitFor, type TestStack } from '../../test-support/temporal';
import { operatorIdentity } from '../server/temporal.server';
import { pendingActivities } from './activities.server';
import { resetPoints, runActivityOp, runWorkflowOp } from './ops.server';
import { serverT } from '../i18n/server-t.server';

/** The words an English operator reads. */
const en = serverT('en', 'workflows');

let s: TestStack;
let oncall: Awaited<ReturnType<typeof makeTenantContext>>;

beforeAll(async () => {
  s = await startTestStack('ops');
  oncall = await makeTenantContext('oncall');
});
afterAll(async () => {
  await s?.close();
});

const key = () => randomUUID();

/** A saga whose charge the provider never answers: débiterAcheteur retries (2 s, 4 s, 8 s). */
async function retryingSaga(tenantId: string) {
  const commandeId = uid('CMO');
  await injectFault(s.db, { operation: 'charge', mode: 'timeout', target: commandeId });
  const h = await startPaymentSaga(s.client, { tenantId, commandeId, acheteurId: uid('cus'), vendeurId: uid('acct'), montantTotal: 18_000 }, { taskQueue: s.taskQueue });
  const activityId = await waitFor('the charge to be pending', async () => {
    const a = (await h.describe()).raw.pendingActivities?.find((p) => p.activityType?.name === 'débiterAcheteur');
    return a?.activityId ?? undefined;
  });
  return { h, activityId };
}

describe('pause, unpause and reset of one activity', () => {
  it('pauses and unpauses a retrying activity, audited, with the operator’s identity in Temporal', async () => {
    const { ctx, tenant } = oncall;
    const { h, activityId } = await retryingSaga(tenant.id);
    const pauseKey = key();
    const paused = await runActivityOp(ctx, h.workflowId, { op: 'pause', activityId, reason: 'provider down', idempotencyKey: pauseKey });
    expect(paused).toMatchObject({ ok: true, result: { message: 'Activity débiterAcheteur paused: no new attempt until it is unpaused.' } });
    const d = await h.describe();
    expect(pendingActivities(d, en)[0]).toMatchObject({ paused: true });
    expect(d.raw.pendingActivities![0].pauseInfo?.manual?.identity).toBe(operatorIdentity(ctx));
    expect(await testDb().auditLog.findFirst({ where: { tenantId: tenant.id, targetId: h.workflowId, action: 'activity-pause' } })).toMatchObject({
      outcome: 'ok', reason: 'provider down', actorEmail: ctx.email, detail: { activityId },
    });

    // The same click twice does it once; a second pause is refused and changes nothing.
    expect(await runActivityOp(ctx, h.workflowId, { op: 'pause', activityId, reason: 'provider down', idempotencyKey: pauseKey })).toMatchObject({ ok: true, replayed: true });
    expect(await runActivityOp(ctx, h.workflowId, { op: 'pause', activityId, reason: 'again', idempotencyKey: key() })).toMatchObject({ ok: false, status: 409, error: `Activity ${activityId} is already paused.` });

    expect(await runActivityOp(ctx, h.workflowId, { op: 'unpause', activityId, reason: 'provider back', idempotencyKey: key() })).toMatchObject({ ok: true });
    expect(pendingActivities(await h.describe(), en)[0]).toMatchObject({ paused: false });
    await h.terminate('test done');
  });

  it('resets a retrying activity’s attempts to 1', async () => {
    const { ctx, tenant } = oncall;
    const { h, activityId } = await retryingSaga(tenant.id);
    await waitFor('a second attempt', async () => ((await h.describe()).raw.pendingActivities?.[0]?.attempt ?? 0) >= 2);
    expect(await runActivityOp(ctx, h.workflowId, { op: 'reset', activityId, reason: 'try again now', idempotencyKey: key() })).toMatchObject({ ok: true });
    expect(pendingActivities(await h.describe(), en)[0].attempt).toBe(1);
    await h.terminate('test done');
  });

  it('refuses another tenant’s workflow and an activity that is not pending, changing nothing', async () => {
    const { h, activityId } = await retryingSaga(oncall.tenant.id);
    const stranger = await makeTenantContext('oncall');
    expect(await runActivityOp(stranger.ctx, h.workflowId, { op: 'pause', activityId, reason: 'x', idempotencyKey: key() }).then(() => 200, (e: Response) => e.status)).toBe(404);
    expect(await runActivityOp(oncall.ctx, h.workflowId, { op: 'pause', activityId: 'no-such', reason: 'x', idempotencyKey: key() })).toMatchObject({ ok: false, status: 404 });
    expect(pendingActivities(await h.describe(), en)[0].paused).toBe(false);
    await h.terminate('test done');
  });

  it('answers 403 to a role without the permission, through the route, and pauses nothing', async () => {
    const { h, activityId } = await retryingSaga(oncall.tenant.id);
    const agent = await makeStaff({ [oncall.tenant.id]: 'support' });
    const { header: cookie } = await sessionCookieFor(agent, oncall.tenant.id);
    const body = new URLSearchParams({ op: 'pause', activityId, reason: 'not mine to do', idempotencyKey: key() });
    const request = new Request(`http://localhost/t/${oncall.tenant.id}/workflows/${h.workflowId}/activity`, {
      method: 'POST', body, headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const refused = await activityAction({ request, params: { tenantId: oncall.tenant.id, workflowId: h.workflowId }, context: { clientAddress: '127.0.0.1', cspNonce: 'test' } })
      .then((r) => r, (e: Response) => e);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'Your role (support) cannot reset workflows: ask an admin of this tenant if you need to.' });
    expect(pendingActivities(await h.describe(), en).find((a) => a.activityId === activityId)?.paused).toBe(false);
    await h.terminate('test done');
  });
});

describe('reset points and reset', () => {
  it('names the step before each point, and a reset can leave out the signals received after it', async () => {
    const { ctx, tenant } = oncall;
    const start = () => startOnboarding(s.client, { tenantId: tenant.id, utilisateurId: uid('u'), email: `${uid('u')}@example.test`, prénom: 'T', planEssaiId: 'trial-14j', durées: { ...TEST_DURÉES, j1: 60_000, j3: 120_000, j7: 180_000, j12: 200_000, j14: 240_000, jour: 60_000 } }, { taskQueue: s.taskQueue });
    for (const exclude of [true, false]) {
      const h = await start();
      const before = await waitFor('a workflow task after the welcome email', async () => {
        const points = await resetPoints(s.client, h.workflowId, (await h.describe()).runId, en, 100);
        return points.some((p) => p.after === 'activity envoyerEmail (bienvenue-trial) completed') ? points : undefined;
      });
      const afterEmail = before.find((p) => p.after === 'activity envoyerEmail (bienvenue-trial) completed');
      expect(before.at(-1)!.after).toMatch(/^workflow workflowOnboardingTrial started/);

      await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'sync-hubspot' });
      await waitFor('the signal handled', async () => (await resetPoints(s.client, h.workflowId, (await h.describe()).runId, en, 100))[0].after?.startsWith('signal fonctionnalitéActivée'));

      const res = await runWorkflowOp(ctx, h.workflowId, { op: 'reset', reason: 'replay without the signal', idempotencyKey: key(), eventId: afterEmail!.eventId, excludeSignals: exclude ? 'on' : undefined });
      expect(res).toMatchObject({ ok: true });
      const newRun = (res as unknown as { result: { runId: string } }).result.runId;
      const events = (await s.client.workflow.getHandle(h.workflowId, newRun).fetchHistory()).events ?? [];
      const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'fonctionnalitéActivée');
      expect(signals).toHaveLength(exclude ? 0 : 1);
      await s.client.workflow.getHandle(h.workflowId).terminate('test done');
    }
  });
});
