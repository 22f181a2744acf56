// The workflow page's timeline, run chain and queries panel, and the list's "no worker" warning,
// through the routes' own loaders against the real Temporal dev server, each cross-checked against
// what Temporal itself says for the same workflow.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectFault } from '../../ports/faults';
import { startOnboarding, startPaymentSaga } from '../../temporal/starters';
import { DURÉES_PRODUCTION, queryStatutDetaillé, signalFonctionnalitéActivée } from '../../temporal/workflows/onboarding.contract';
import { makeStaff, makeTenant, sessionCookieFor, uid } from '../../test-support/factories';
import { loaderData } from '../../test-support/loader-data';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';
import { loader as downloadLoader } from '../routes/t.$tenantId.workflows.$workflowId.history[.]json';
import { loader as pageLoader } from '../routes/t.$tenantId.workflows.$workflowId';
import { loader as listLoader } from '../routes/t.$tenantId.workflows._index';
import { loader as pointsLoader } from '../routes/t.$tenantId.workflows.$workflowId.reset-points';
import { describeEvents } from './history.server';
import { resetPoints } from './ops.server';
import { serverT } from '../i18n/server-t.server';

/** The words an English operator reads. */
const en = serverT('en', 'workflows');

let s: TestStack;
let tenant: { id: string };
let cookie: string;

beforeAll(async () => {
  s = await startTestStack('wfpage');
  tenant = await makeTenant();
  cookie = (await sessionCookieFor(await makeStaff({ [tenant.id]: 'oncall' }), tenant.id)).header;
});
afterAll(async () => {
  await s?.close();
});

const context = { clientAddress: '127.0.0.1', cspNonce: 'test' };
const pageArgs = (workflowId: string, query = '') => ({
  request: new Request(`http://localhost/t/${tenant.id}/workflows/${encodeURIComponent(workflowId)}${query}`, { headers: { Cookie: cookie } }),
  params: { tenantId: tenant.id, workflowId },
  context,
});
/** The page's data once its streamed parts (history, timeline, pollers, answers, runs) have arrived. */
const page = async (workflowId: string, query = '') => loaderData<typeof pageLoader>(await pageLoader(pageArgs(workflowId, query)));
const status = (p: Promise<unknown>) => p.then((r) => (r instanceof Response ? r.status : 200), (e: unknown) => (e instanceof Response ? e.status : e));
const bodyOf = (p: Promise<unknown>) => p.then(() => '', (e: unknown) => (e instanceof Response ? e.text() : String(e)));

/** A trial on production durations: after its welcome email it sleeps a whole day. */
async function sleepingTrial() {
  const u = uid('u');
  const h = await startOnboarding(s.client, { tenantId: tenant.id, utilisateurId: u, email: `${u}@example.test`, prénom: 'Lou', planEssaiId: 'trial-14j', durées: DURÉES_PRODUCTION }, { taskQueue: s.taskQueue });
  await waitFor('the welcome email sent and the sleep begun', async () => {
    const events = (await h.fetchHistory()).events ?? [];
    return events.some((e) => e.activityTaskCompletedEventAttributes) && events.some((e) => e.timerStartedEventAttributes);
  });
  return h;
}

describe('the timeline', () => {
  it('draws a running trial’s sleep up to when it fires, and its email activity as completed', async () => {
    const h = await sleepingTrial();
    const before = Date.now();
    const d = await page(h.workflowId, '?view=timeline');
    const history = (await h.fetchHistory()).events ?? [];
    const spans = d.timeline!.spans as Array<{ kind: string; label: string; outcome: string; start: string; end: string | null; plannedEnd: string | null }>;
    // The timeline draws spans from the whole history: the view reads no page of the event list.
    expect(d.history).toBeNull();
    // One span per scheduled activity and per started timer, as many as Temporal's history holds.
    expect(spans.filter((x) => x.kind === 'activity').length).toBe(history.filter((e) => e.activityTaskScheduledEventAttributes).length);
    expect(spans.filter((x) => x.kind === 'timer').length).toBe(history.filter((e) => e.timerStartedEventAttributes).length);
    expect(spans[0]).toMatchObject({ kind: 'workflow', outcome: 'running', end: null });
    expect(spans.find((x) => x.label === 'activity envoyerEmail (bienvenue-trial)')).toMatchObject({ kind: 'activity', outcome: 'completed' });
    const sleep = spans.find((x) => x.kind === 'timer' && x.outcome === 'waiting')!;
    expect(sleep.end).toBeNull();
    // It fires at the next day boundary of the trial: later than now, at most a day after its start.
    expect(Date.parse(sleep.plannedEnd!)).toBeGreaterThan(before);
    expect(Date.parse(sleep.plannedEnd!) - Date.parse(sleep.start)).toBeLessThanOrEqual(86_400_000);
    expect(Date.parse(d.timeline!.to)).toBeGreaterThanOrEqual(Date.parse(sleep.plannedEnd!));
    expect(d.timeline!).toMatchObject({ truncated: false, eventsRead: history.length });
    await h.terminate('test done');
  });

  it('marks a failed saga’s failing step and compensation as failed, with the activity’s own words', async () => {
    const commandeId = uid('CMT');
    await injectFault(s.db, { operation: 'transfer', mode: 'invalid_account', target: commandeId });
    const h = await startPaymentSaga(s.client, { tenantId: tenant.id, commandeId, acheteurId: uid('cus'), vendeurId: uid('acct'), montantTotal: 12_000 }, { taskQueue: s.taskQueue });
    await h.result().catch(() => undefined);
    const d = await page(h.workflowId, '?view=timeline');
    const spans = d.timeline!.spans as Array<{ kind: string; label: string; outcome: string; detail: string | null; end: string | null }>;
    expect(spans[0]).toMatchObject({ kind: 'workflow', outcome: 'failed' });
    expect(spans.find((x) => x.label === 'activity débiterAcheteur')).toMatchObject({ outcome: 'completed' });
    expect(spans.find((x) => x.label === 'activity virerVendeur')).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/CompteVendeurInvalide/) });
    expect(spans.find((x) => x.label === 'compensation rembourserAcheteur')).toMatchObject({ outcome: 'completed' });
    expect(spans.every((x) => x.end !== null)).toBe(true);
  });
});

describe('the queries panel', () => {
  it('lists the type’s declared queries and answers one the way the SDK does', async () => {
    const h = await sleepingTrial();
    const d = await page(h.workflowId);
    expect(d.queries.map((q: { name: string }) => q.name)).toEqual(['statutDetaillé', 'joursTrial']);
    expect(d.live.queryAnswer).toBeNull();
    const asked = await page(h.workflowId, `?query=${encodeURIComponent('statutDetaillé')}`);
    const direct = await h.query(queryStatutDetaillé);
    expect(asked.live.queryAnswer).toMatchObject({ name: 'statutDetaillé', ok: true });
    const answer = (asked.live.queryAnswer as { answer: typeof direct }).answer;
    expect(answer).toMatchObject({ phase: direct.phase, emailsEnvoyés: direct.emailsEnvoyés, démarréLe: direct.démarréLe, souscrit: false });
    expect(answer.prochaineÉtape).toEqual(direct.prochaineÉtape);
    // A query another type declares is a reason on the page; a name nobody declares is a 400 that names it.
    const wrong = await page(h.workflowId, '?query=journalSaga');
    expect(wrong.live.queryAnswer).toMatchObject({ ok: false, reason: expect.stringContaining('declares no query') });
    expect(await status(pageLoader(pageArgs(h.workflowId, '?query=__stack_trace')))).toBe(400);
    expect(await bodyOf(pageLoader(pageArgs(h.workflowId, '?query=nope')))).toMatch(/query/);
    await h.terminate('test done');
  });
});

describe('the run chain', () => {
  it('lists both runs after a reset, opens the earlier one read-only, and downloads its own history', async () => {
    const h = await sleepingTrial();
    const firstRunId = (await h.describe()).runId;
    const events = (await h.fetchHistory()).events ?? [];
    const lastTask = [...events].reverse().find((e) => e.workflowTaskCompletedEventAttributes)!;
    const reset = await s.client.connection.workflowService.resetWorkflowExecution({
      namespace: s.client.options.namespace,
      workflowExecution: { workflowId: h.workflowId, runId: firstRunId },
      workflowTaskFinishEventId: lastTask.eventId,
      reason: 'test: run chain',
      requestId: randomUUID(),
    });
    const d = await waitFor('both runs in visibility', async () => {
      const p = await page(h.workflowId);
      return p.chain.runs.length === 2 ? p : undefined;
    });
    expect(d.chain.runs.map((r: { runId: string }) => r.runId)).toEqual([firstRunId, reset.runId]);
    expect(d.chain.runs.map((r: { status: string }) => r.status)).toEqual(['TERMINATED', 'RUNNING']);
    expect(d).toMatchObject({ runId: reset.runId, isLatest: true, chain: { latestRunId: reset.runId }, viewedRun: null });
    expect(d.can).toMatchObject({ terminate: true, reset: true });

    const earlier = await page(h.workflowId, `?run=${firstRunId}`);
    expect(earlier).toMatchObject({ runId: firstRunId, status: 'TERMINATED', isLatest: false, viewedRun: firstRunId });
    expect(earlier.can).toMatchObject({ cancel: false, terminate: false, reset: false, anyRole: true });
    expect(earlier.summary.failure![0].message).toBe('test: run chain');
    // The reset run's input is the one it was reset from (read by run id: its first event is its base run's).
    expect(earlier.summary.input).toHaveLength(1);
    expect(JSON.stringify(earlier.summary.input)).toContain(d.userId);
    expect(d.summary.input).toEqual(earlier.summary.input);

    const download = await downloadLoader({ ...pageArgs(h.workflowId, `/history.json?run=${firstRunId}`) });
    const history = JSON.parse(await download.text());
    const sdk = (await s.client.workflow.getHandle(h.workflowId, firstRunId).fetchHistory()).events ?? [];
    expect(history.events.length).toBe(sdk.length);
    expect(history.events.at(-1).eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED');

    // A run id that is not a UUID is named; one of another workflow (or none) is a 404, like an unknown id.
    expect(await status(pageLoader(pageArgs(h.workflowId, '?run=abc')))).toBe(400);
    expect(await bodyOf(pageLoader(pageArgs(h.workflowId, '?run=abc')))).toMatch(/run/);
    expect(await status(pageLoader(pageArgs(h.workflowId, `?run=${randomUUID()}`)))).toBe(404);
    const other = await sleepingTrial();
    expect(await status(pageLoader(pageArgs(h.workflowId, `?run=${(await other.describe()).runId}`)))).toBe(404);
    await h.terminate('test done');
    await other.terminate('test done');
  });
});

describe('the list’s “no worker” warning', () => {
  it('names a task queue that running workflows of the page wait on with nobody polling, and only that one', async () => {
    const idleQueue = uid('test-idle');
    const u = uid('u');
    const stranded = await startOnboarding(s.client, { tenantId: tenant.id, utilisateurId: u, email: `${u}@example.test`, prénom: 'Noé', planEssaiId: 'trial-14j', durées: DURÉES_PRODUCTION }, { taskQueue: idleQueue });
    const served = await sleepingTrial();
    const list = async () => (await listLoader({ request: new Request(`http://localhost/t/${tenant.id}/workflows?status=Running`, { headers: { Cookie: cookie } }), params: { tenantId: tenant.id }, context })).json();
    const d = await waitFor('both running workflows listed', async () => {
      const l = await list();
      const ids = l.rows.map((r: { workflowId: string }) => r.workflowId);
      return ids.includes(stranded.workflowId) && ids.includes(served.workflowId) ? l : undefined;
    });
    expect(d.idleQueues).toEqual([{ taskQueue: idleQueue, running: 1 }]);
    expect(d.rows.find((r: { workflowId: string }) => r.workflowId === stranded.workflowId)!.taskQueue).toBe(idleQueue);
    // Temporal itself lists no poller on that queue, and the test worker's on the other.
    const describe = (q: string) => s.client.connection.workflowService.describeTaskQueue({ namespace: s.client.options.namespace, taskQueue: { name: q }, taskQueueType: 1 });
    expect((await describe(idleQueue)).pollers ?? []).toHaveLength(0);
    expect(((await describe(s.taskQueue)).pollers ?? []).length).toBeGreaterThan(0);
    await stranded.terminate('test done');
    await served.terminate('test done');
  });
});

describe('reset points read from the end of a long history', () => {
  it('are the points the whole history gives, each named by the step before it', async () => {
    const h = await sleepingTrial();
    // Signals answered one by one: each is its own workflow task, so the history has many more than 20.
    for (let i = 0; i < 30; i++) {
      await h.signal(signalFonctionnalitéActivée, { fonctionnalité: `f-${i}` });
      await waitFor('the signal handled', async () => {
        const events = (await h.fetchHistory()).events ?? [];
        const last = (has: (e: (typeof events)[number]) => unknown) => events.reduce((at, e, k) => (has(e) ? k : at), -1);
        const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
        return signals === i + 1 && last((e) => e.workflowTaskCompletedEventAttributes) > last((e) => e.workflowExecutionSignaledEventAttributes);
      });
    }
    const { runId } = await h.describe();
    const whole: Array<{ eventId: number; time: string | null; after: string | null }> = [];
    let after: string | null = null;
    for (const e of describeEvents((await h.fetchHistory()).events ?? [], { t: en })) {
      if (e.type === 'WorkflowTaskCompleted') whole.push({ eventId: e.eventId, time: e.time, after });
      else if (e.summary && e.category !== 'task') after = e.summary;
    }
    whole.reverse();
    expect(whole.length).toBeGreaterThan(20);
    // Backward pages of ~20 events: the points and what precedes them span several pages.
    for (const limit of [1, 5, 20, 1000]) expect(await resetPoints(s.client, h.workflowId, runId, en, limit, 20)).toEqual(whole.slice(0, limit));
    expect(await resetPoints(s.client, h.workflowId, runId, en)).toEqual(whole.slice(0, 20));
    // The reset dialog asks its own route for them; a role that cannot reset gets a 403, another tenant a 404.
    const points = await (await pointsLoader(pageArgs(h.workflowId, '/reset-points'))).json();
    expect(points).toEqual({ runId, points: whole.slice(0, 20) });
    const support = (await sessionCookieFor(await makeStaff({ [tenant.id]: 'support' }), tenant.id)).header;
    const other = await makeTenant();
    const foreign = (await sessionCookieFor(await makeStaff({ [other.id]: 'oncall' }), other.id)).header;
    const as = (c: string) => ({ ...pageArgs(h.workflowId, '/reset-points'), request: new Request(`http://localhost/t/${tenant.id}/workflows/${h.workflowId}/reset-points`, { headers: { Cookie: c } }) });
    expect(await status(pointsLoader(as(support)))).toBe(403);
    expect(await status(pointsLoader(as(foreign)))).toBe(404);
    await h.terminate('test done');
  });
});
