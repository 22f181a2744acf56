// The workflow page's history against the real Temporal dev server: what the page says about a
// failed saga (through the route's own loader), the paged event list cross-checked against the
// SDK's full history, page cursors bound to their run, and a downloaded history that replays.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { injectFault } from '../../ports/faults';
import { startOnboarding, startPaymentSaga } from '../../temporal/starters';
import { WORKFLOWS_PATH } from '../../temporal/worker';
import { OPÉRATION_REFUSÉE, SAGA_PAIEMENT_ÉCHOUÉE } from '../../temporal/workflows/failure-types';
import { makeStaff, makeTenant, sessionCookieFor, uid } from '../../test-support/factories';
import { loaderData } from '../../test-support/loader-data';
import { startTestStack, TEST_DURÉES, waitFor, type TestStack } from '../../test-support/temporal';
import { loader as downloadLoader } from '../routes/t.$tenantId.workflows.$workflowId.history[.]json';
import { loader as pageLoader } from '../routes/t.$tenantId.workflows.$workflowId';
import { historyPage } from './history.server';
import { serverT } from '../i18n/server-t.server';

/** The words an English operator reads. */
const en = serverT('en', 'workflows');

let s: TestStack;
let tenant: { id: string };
let cookie: string;
let foreignCookie: string;
let saga: { workflowId: string; runId: string; commandeId: string };

beforeAll(async () => {
  s = await startTestStack('history');
  tenant = await makeTenant();
  const other = await makeTenant();
  cookie = (await sessionCookieFor(await makeStaff({ [tenant.id]: 'support' }), tenant.id)).header;
  foreignCookie = (await sessionCookieFor(await makeStaff({ [other.id]: 'oncall' }), other.id)).header;
  // The seller's account is refused at the transfer, then the provider refuses the buyer's refund.
  const commandeId = uid('CMH');
  await injectFault(s.db, { operation: 'transfer', mode: 'invalid_account', target: commandeId });
  await injectFault(s.db, { operation: 'refund', mode: 'reject', target: commandeId, times: 1 });
  const h = await startPaymentSaga(s.client, { tenantId: tenant.id, commandeId, acheteurId: uid('cus'), vendeurId: uid('acct'), montantTotal: 18_000 }, { taskQueue: s.taskQueue });
  await h.result().catch(() => undefined);
  saga = { workflowId: h.workflowId, runId: (await h.describe()).runId, commandeId };
});
afterAll(async () => {
  await s?.close();
});

const url = (workflowId: string, rest = '') => `http://localhost/t/${tenant.id}/workflows/${encodeURIComponent(workflowId)}${rest}`;
const get = (u: string, c = cookie) => new Request(u, { headers: { Cookie: c } });
const context = { clientAddress: '127.0.0.1', cspNonce: 'test' };
const args = (request: Request, workflowId: string, tenantId = tenant.id) => ({ request, params: { tenantId, workflowId }, context });
const status = (p: Promise<unknown>) => p.then((r) => (r instanceof Response ? r.status : 200), (e: unknown) => (e instanceof Response ? e.status : e));

/** Worker.runReplayHistory on a downloaded JSON history, as the SDK reads it (protobufjs is pinned once at the top level; docs/decisions/003). */
function replayJson(history: unknown, workflowId: string) {
  return Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, workflowId);
}

async function page(workflowId: string, query = '') {
  // The page streams its history after its summary: both, once everything has arrived.
  return loaderData<typeof pageLoader>(await pageLoader(args(get(url(workflowId, query)), workflowId)));
}

describe('the workflow page of a failed saga', () => {
  it('shows the failure with its cause chain and names the failed step and compensation in the seed’s terms', async () => {
    const d = await page(saga.workflowId);
    expect(d.status).toBe('FAILED');
    expect(d.summary.failure![0]).toMatchObject({ type: SAGA_PAIEMENT_ÉCHOUÉE });
    expect(d.summary.failure![0].message).toContain(saga.commandeId);
    expect(d.summary.failure![0].stackTrace).toBeTruthy();
    expect(d.summary.input[0]).toMatchObject({ commandeId: saga.commandeId, montantTotal: 18_000 });
    expect(d.summary.result).toBeNull();
    expect(d.summary.historySizeBytes).toBeGreaterThan(0);

    const summaries = d.history!.events.map((e) => e.summary).filter((x): x is string => Boolean(x));
    expect(summaries[0]).toMatch(/^workflow workflowPaiementMarketplace started on task queue /);
    expect(summaries).toContain('activity débiterAcheteur completed');
    expect(summaries.find((x) => x.startsWith('activity virerVendeur failed: '))).toMatch(/CompteVendeurInvalide/);
    expect(summaries.find((x) => x.startsWith('compensation rembourserAcheteur failed: '))).toContain(OPÉRATION_REFUSÉE);
    expect(summaries.at(-1)).toMatch(/^workflow failed: SagaPaiementÉchouée: Saga paiement échouée/);
    expect(d.history!.events.filter((e: { problem: boolean }) => e.problem).length).toBeGreaterThanOrEqual(3);
  });

  it('names the same history in French for a French operator, the seed’s names kept as they are', async () => {
    const fr = serverT('fr', 'workflows');
    const { events } = await historyPage(s.client, { tenantId: tenant.id, ...saga }, { t: fr, pageSize: 1000, attributes: false });
    const summaries = events.map((e) => e.summary).filter((x): x is string => Boolean(x));
    expect(summaries[0]).toMatch(/^workflow workflowPaiementMarketplace démarré sur la file de tâches /);
    expect(summaries).toContain('activité débiterAcheteur réussie');
    expect(summaries.find((x) => x.startsWith('compensation rembourserAcheteur en échec : '))).toContain(OPÉRATION_REFUSÉE);
    expect(summaries.at(-1)).toMatch(/^workflow en échec : SagaPaiementÉchouée: /);
    expect(summaries.join('\n')).not.toMatch(/\b(completed|failed|started|scheduled)\b/);
  });

  it('pages the event list, and the pages together are Temporal’s own history, event for event', async () => {
    const run = { tenantId: tenant.id, ...saga };
    const seen: Array<{ eventId: number; type: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Awaited<ReturnType<typeof historyPage>> = await historyPage(s.client, run, { t: en, cursor, pageSize: 5 });
      // The server returns whole event batches, so a page may pass the size a little.
      expect(p.events.length).toBeLessThan(15);
      seen.push(...p.events.map((e) => ({ eventId: e.eventId, type: e.type })));
      cursor = p.nextCursor;
      pages++;
    } while (cursor);
    const sdk = (await s.client.workflow.getHandle(saga.workflowId, saga.runId).fetchHistory()).events ?? [];
    const { historyLength } = await s.client.workflow.getHandle(saga.workflowId).describe();
    expect(seen.length).toBe(sdk.length);
    expect(seen.length).toBe(historyLength);
    expect(pages).toBeGreaterThan(2);
    expect(seen.map((e) => e.eventId)).toEqual(sdk.map((e) => Number(e.eventId)));
    const typeName = (t: unknown) => String(t).replace(/^EVENT_TYPE_/, '');
    const { temporal } = await import('@temporalio/proto');
    expect(seen.map((e) => e.type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase())).toEqual(
      sdk.map((e) => typeName(temporal.api.enums.v1.EventType[e.eventType as number])),
    );

    // The loader pages the same way: its "later events" cursor opens the second page.
    const first = await page(saga.workflowId, '?view=all');
    expect(first.history!.events.length).toBe(Math.min(100, sdk.length));
  });

  it('refuses a page cursor made for another workflow, like an unknown one', async () => {
    const other = await startOnboarding(s.client, { tenantId: tenant.id, utilisateurId: uid('u'), email: `${uid('u')}@example.test`, prénom: 'T', planEssaiId: 'trial-14j', durées: TEST_DURÉES }, { taskQueue: s.taskQueue });
    const otherRunId = (await other.describe()).runId;
    const foreign = await historyPage(s.client, { tenantId: tenant.id, workflowId: other.workflowId, runId: otherRunId }, { t: en, pageSize: 2 });
    expect(foreign.nextCursor).toBeTruthy();
    expect(await status(pageLoader(args(get(url(saga.workflowId, `?events=${foreign.nextCursor}`)), saga.workflowId)))).toBe(400);
    expect(await status(pageLoader(args(get(url(saga.workflowId, '?events=abc.def')), saga.workflowId)))).toBe(400);
    await other.terminate('test done');
  });

  it('answers 404 to another tenant’s staff, on the page and on the download', async () => {
    const foreignArgs = (u: string) => ({ request: get(u, foreignCookie), params: { tenantId: tenant.id, workflowId: saga.workflowId }, context });
    expect(await status(pageLoader(foreignArgs(url(saga.workflowId))))).toBe(404);
    expect(await status(downloadLoader(foreignArgs(url(saga.workflowId, '/history.json'))))).toBe(404);
  });
});

describe('the history download', () => {
  it('replays with Worker.runReplayHistory, for a failed saga and a running trial', async () => {
    const trial = await startOnboarding(s.client, { tenantId: tenant.id, utilisateurId: uid('u'), email: `${uid('u')}@example.test`, prénom: 'T', planEssaiId: 'trial-14j', durées: TEST_DURÉES }, { taskQueue: s.taskQueue });
    // Wait until the welcome email is through, so the history holds activities, timers and a task.
    await waitFor('the J+0 email', async () => {
      const events = (await trial.fetchHistory()).events ?? [];
      return events.some((e) => e.activityTaskCompletedEventAttributes) && events.some((e) => e.timerStartedEventAttributes);
    });
    for (const workflowId of [saga.workflowId, trial.workflowId]) {
      const sdk = (await s.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      const res = await downloadLoader(args(get(url(workflowId, '/history.json')), workflowId));
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".+\.json"$/);
      const history = JSON.parse(await res.text());
      expect(history.events.length).toBeGreaterThanOrEqual(sdk.length);
      expect(history.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
      expect(history.events[0].eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      await expect(replayJson(history, workflowId)).resolves.toBeUndefined();
    }
    await trial.terminate('test done');
  });

  it('is the JSON the Temporal CLI writes for the same workflow', async () => {
    const cli = process.env.TEMPORAL_CLI;
    // npm test and scripts/vigie.sh always set it; a bare vitest run needs it too (the global setup starts the dev server with it).
    if (!cli) throw new Error('TEMPORAL_CLI is not set: run through npm test, or set it to the Temporal CLI binary');
    const res = await downloadLoader(args(get(url(saga.workflowId, '/history.json')), saga.workflowId));
    const ours = JSON.parse(await res.text());
    const { stdout } = await promisify(execFile)(cli, [
      'workflow', 'show', '--workflow-id', saga.workflowId, '--run-id', saga.runId, '--output', 'json',
      '--address', process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', '--namespace', process.env.TEMPORAL_NAMESPACE ?? 'vigie',
    ], { maxBuffer: 64 * 1024 * 1024 });
    const theirs = JSON.parse(stdout);
    expect(ours.events.map((e: { eventType: string }) => e.eventType)).toEqual(theirs.events.map((e: { eventType: string }) => e.eventType));
    expect(ours).toEqual(theirs);
  });
});
