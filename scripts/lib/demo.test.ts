// The demo data of `npm start`, at a small size and on a fast clock, run by a real worker: every
// trial phase, a subscribed, an expired, a failed-email and a stuck trial, payment sagas of every
// outcome and what finance did with them, nothing new on a second run, a reset that starts over,
// and a refusal that writes nothing where the target is not the demo's.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISMATCH_KINDS, reconcile } from '../../finance/reconcile';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import { LOCAL_PG } from './stack';
import { loadTemporalEnv } from '../../temporal/config';
import { OnboardingPhase, tenantQuery } from '../../temporal/search-attributes';
import { ONBOARDING_WORKFLOW_TYPE, PHASES_ONBOARDING, queryStatutDetaillé } from '../../temporal/workflows/onboarding.contract';
import { paymentWorkflowId } from '../../temporal/workflows/payment.contract';
import { makeTenant } from '../../test-support/factories';
import { deliverProviderWebhooks } from '../../test-support/provider-webhooks';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';
import { DEFAULT_STUCK_SECONDS } from '../../app/ingest/labels';
import { stuckWhere } from '../../app/live/checkouts.server';
import { resetDemo, seedDemo, type DemoOptions } from './demo';
import { DEMO_STUCK_CHECKOUT } from './demo-checkouts';
import { seedDemoFinance, settleDemoFinanceWhenEnded } from './demo-finance';
import { planDemoSagas, planDemoTrials, planFollowUps, SAGA_OUTCOMES, type DemoClock, type SagaOutcome } from './demo-plan';
import { DEMO_TENANT_IDS } from './demo-reset';
import { demoTargetProblem, DemoTargetRefused, parseStartFlags, startTarget, UsageError } from './demo-target';

const SIZES = { trials: 12, sagas: 20 };
// Racing days of 0.2 s to 4 s: within a minute every phase has come and some have gone.
const CLOCK: DemoClock = { fastestDayMs: 200, slowestDayMs: 4_000, stuckDayMs: 60_000, runningSagaStepMs: 4_000 };
const NAMED = { trials: 5, sagas: 3 }; // prisma/demo-data.ts's users and CM-2001…2003
const TRIALS = planDemoTrials(SIZES.trials, CLOCK);
const SAGAS = planDemoSagas(SIZES.sagas, CLOCK);
const EXPECTED_STATUS: Record<SagaOutcome, string> = {
  success: 'succeeded', declined: 'failed', 'invalid-seller': 'compensated', 'compensation-fails': 'compensation_incomplete',
  'timeout-then-success': 'succeeded', 'insurance-refused': 'compensated', running: 'succeeded',
};

let s: TestStack;
let opts: DemoOptions;
const target = () => ({ databaseUrl: process.env.DATABASE_URL!, temporal: loadTemporalEnv() });
const trialOf = (kind: string) => TRIALS.find((t) => t.kind === kind)!;

beforeAll(async () => {
  // A reset deletes workflows under the running worker, whose core then warns about each task it
  // can no longer complete: expected here, so the core's own log is kept to errors.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  s = await startTestStack('demo');
  // The test database and server are not the demo's: writing there takes --demo-anywhere.
  opts = { ...SIZES, clock: CLOCK, taskQueue: s.taskQueue, anywhere: true };
});

afterAll(async () => {
  // Other test files seed CraftMarket's finance demo themselves: leave the demo tenants empty.
  await resetDemo(s.db, s.client, { ...opts, wait: false });
  await s.close();
});

async function trialPhases() {
  const phases = new Map<string, string>();
  for await (const w of s.client.workflow.list({ query: tenantQuery('datasync', `WorkflowType = '${ONBOARDING_WORKFLOW_TYPE}'`) })) {
    phases.set(w.workflowId, String(w.typedSearchAttributes.get(OnboardingPhase)));
  }
  return phases;
}

/** CartFlow's checkouts the console calls stuck at its default threshold (the live page's and dashboard's query). */
const stuckCheckouts = () =>
  s.db.checkoutSession.findMany({ where: { tenantId: DEMO_STUCK_CHECKOUT.tenantId, ...stuckWhere(DEFAULT_STUCK_SECONDS) }, select: { sessionId: true, state: true, step: true } });

/** What seeding writes; a second run must leave every figure as it was. */
async function footprint() {
  const workflows = Object.fromEntries(await Promise.all(DEMO_TENANT_IDS.map(async (t) => [t, (await s.client.workflow.count(tenantQuery(t))).count] as const)));
  return {
    workflows,
    trialUsers: await s.db.trialUser.count({ where: { tenantId: 'datasync' } }),
    faults: await s.db.providerFault.count(),
    sagas: await s.db.paymentSaga.count({ where: { tenantId: 'craftmarket' } }),
    refunds: await s.db.paymentRefund.count({ where: { tenantId: 'craftmarket' } }),
    incidents: await s.db.financeIncident.groupBy({ by: ['status'], where: { tenantId: 'craftmarket' }, _count: { _all: true }, orderBy: { status: 'asc' } }),
    audit: await s.db.auditLog.count({ where: { tenantId: 'craftmarket' } }),
    staff: await s.db.staffUser.count(),
    checkoutEvents: await s.db.checkoutTransition.count({ where: { tenantId: 'cartflow' } }),
  };
}

// In this file, not its own: it writes CraftMarket's rows, which the demo's reset below deletes.
describe('seedDemoFinance', () => {
  it('gives CraftMarket one order of every mismatch kind in the last week, idempotently', async () => {
    const db = s.db;
    const gateway = new LocalPaymentGateway(db);
    const first = await seedDemoFinance(db, gateway);
    expect(first).toEqual({ skipped: null, orders: 43 });
    const counts = async () => ({
      sagas: await db.paymentSaga.count({ where: { tenantId: 'craftmarket' } }),
      ledger: await db.ledgerEntry.count({ where: { tenantId: 'craftmarket' } }),
      provider: await db.providerObject.count({ where: { orderId: { startsWith: 'CM-D-' } } }),
      incidents: await db.financeIncident.count({ where: { tenantId: 'craftmarket' } }),
    });
    const before = await counts();
    await seedDemoFinance(db, gateway);
    expect(await counts()).toEqual(before);
    expect(before.incidents).toBe(2);

    const now = new Date();
    const result = await reconcile(db, gateway, { tenantId: 'craftmarket', from: new Date(now.getTime() - 7 * 86_400_000), to: new Date(now.getTime() + 86_400_000) });
    const found = Object.fromEntries(result.mismatches.map((m) => [m.kind, m.orderId]));
    for (const kind of MISMATCH_KINDS) expect(found[kind], kind).toMatch(/^CM-D-1\d\d$/);
    expect(result.mismatches.filter((m) => !m.orderId?.startsWith('CM-D-1'))).toEqual([]);
    const twice = result.mismatches.find((m) => m.kind === 'refunded_twice')!;
    expect(twice).toMatchObject({ orderId: 'CM-D-103', atStakeCents: 34_000 });

    const month = await reconcile(db, gateway, { tenantId: 'craftmarket', from: new Date(now.getTime() - 31 * 86_400_000), to: new Date(now.getTime() + 86_400_000) });
    expect(month.mismatches.filter((m) => !m.orderId?.startsWith('CM-D-1'))).toEqual([]);
  });
});

describe('the demo of npm start', () => {
  it('refuses, writing nothing, a database or namespace that is not the demo\'s', async () => {
    expect(demoTargetProblem(startTarget({}))).toBeNull();
    expect(demoTargetProblem({ ...startTarget({}), databaseUrl: 'postgresql://postgres:postgres@127.0.0.1:54329/vigie' })).toBeNull();
    expect(demoTargetProblem(startTarget({ DATABASE_URL: 'postgresql://app:s3cret@db.internal:5432/vigie' }))).toMatch(/^DATABASE_URL names db\.internal:5432\/vigie, not the demo's/);
    expect(demoTargetProblem(startTarget({ DATABASE_URL: LOCAL_PG.replace(/vigie$/, 'vigie_prod') }))).toMatch(/vigie_prod/);
    expect(demoTargetProblem(startTarget({ TEMPORAL_ADDRESS: 'temporal.internal:7233' }))).toMatch(/^TEMPORAL_ADDRESS is temporal\.internal:7233/);
    expect(demoTargetProblem(startTarget({ TEMPORAL_NAMESPACE: 'production' }))).toMatch(/namespace/);
    expect(demoTargetProblem(startTarget({ TEMPORAL_API_KEY: 'key' }))).toMatch(/API key/);
    expect(demoTargetProblem(startTarget({ DATABASE_URL: 'postgresql://app:s3cret@db.internal/x' }))).not.toContain('s3cret');
    expect(parseStartFlags([])).toEqual({ demo: true, resetDemo: false, demoAnywhere: false });
    expect(parseStartFlags(['--no-demo'])).toMatchObject({ demo: false });
    expect(parseStartFlags(['--reset-demo', '--demo-anywhere'])).toEqual({ demo: true, resetDemo: true, demoAnywhere: true });
    expect(() => parseStartFlags(['--no-demo', '--reset-demo'])).toThrow(UsageError);
    expect(() => parseStartFlags(['--demo'])).toThrow(UsageError);

    const before = await footprint();
    const refused = seedDemo(target(), { ...opts, anywhere: false });
    await expect(refused).rejects.toThrow(DemoTargetRefused);
    await expect(refused).rejects.toThrow(/^refusing to write demo data: DATABASE_URL names 127\.0\.0\.1:5432\/vigie_test_\w+, not the demo's database[^\n]*--demo-anywhere[^\n]*$/);
    await expect(seedDemo(target(), { ...opts, anywhere: false, reset: true })).rejects.toThrow(DemoTargetRefused);
    expect(await footprint()).toEqual(before);
  });

  it('seeds every trial phase, a failed email, a stuck trial and payment sagas of every outcome, then what finance did with them', async () => {
    // Starts from nothing, whatever other test files left in these tenants.
    const seeded = await seedDemo(target(), { ...opts, reset: true });
    expect(seeded.trials).toEqual({ started: SIZES.trials + NAMED.trials, existing: 0 });
    expect(seeded.sagas).toEqual({ started: SIZES.sagas + NAMED.sagas, existing: 0 });
    // The jobs page's batch: oncall signalled a feature to the trials that had activated one.
    expect(seeded.batch).toBe('started');
    // CartFlow's live checkouts page has a stuck checkout at its default threshold from the start.
    expect(seeded.stuckCheckout).toMatch(/^[1-9]\d* event\(s\) stored$/);
    expect(await stuckCheckouts()).toEqual([{ sessionId: DEMO_STUCK_CHECKOUT.sessionId, state: 'traitementPaiement', step: 'paiement' }]);
    await waitFor('the batch signal', async () => (await s.client.workflow.getHandle(trialOf('activated').workflowId).query(queryStatutDetaillé)).fonctionnalitésActivées.includes('import-csv'));

    // Held by the provider for 3 × 4 s: still running right after seeding.
    for (const saga of SAGAS.filter((x) => x.outcome === 'running')) {
      expect((await s.client.workflow.getHandle(paymentWorkflowId(saga.commandeId)).describe()).status.name).toBe('RUNNING');
    }

    const phases = await waitFor('every onboarding phase at once', async () => {
      const seen = new Set((await trialPhases()).values());
      return PHASES_ONBOARDING.every((p) => seen.has(p)) && seen;
    }, 45_000, 250);
    expect([...phases].sort()).toEqual([...PHASES_ONBOARDING].sort());
    expect((await s.client.workflow.getHandle(trialOf('subscribed').workflowId).describe()).status.name).toBe('COMPLETED');
    expect(await s.db.trialAccount.findUnique({ where: { workflowId: trialOf('subscribed').workflowId } })).toMatchObject({ status: 'converted' });

    const failedEmail = trialOf('failed-email').workflowId;
    await waitFor('the refused welcome email', async () => (await s.client.workflow.getHandle(failedEmail).query(queryStatutDetaillé)).emailsÉchoués.includes('bienvenue-trial'));
    expect(await s.db.emailDelivery.findUnique({ where: { idempotencyKey: `${failedEmail}:bienvenue-trial` } })).toMatchObject({ status: 'failed' });
    await waitFor('the stuck trial retrying its email', async () => {
      const d = await s.client.workflow.getHandle(trialOf('stuck').workflowId).describe();
      return d.raw.pendingActivities?.some((a) => a.activityType?.name === 'envoyerEmail' && (a.attempt ?? 0) > 1 && a.lastFailure);
    });
    await waitFor('the trial whose Stripe trial was refused to fail', async () => (await s.client.workflow.getHandle(trialOf('failed-start').workflowId).describe()).status.name === 'FAILED');

    const sagas = await waitFor('every planned saga to end', async () => {
      const rows = await s.db.paymentSaga.findMany({ where: { orderId: { in: SAGAS.map((x) => x.commandeId) } }, select: { orderId: true, status: true } });
      return rows.length === SAGAS.length && rows.every((r) => r.status !== 'running') && new Map(rows.map((r) => [r.orderId, r.status]));
    }, 45_000, 250);
    expect(new Set(SAGAS.map((x) => x.outcome))).toEqual(new Set(SAGA_OUTCOMES));
    for (const saga of SAGAS) expect(`${saga.outcome}: ${sagas.get(saga.commandeId)}`).toBe(`${saga.outcome}: ${EXPECTED_STATUS[saga.outcome]}`);
    const incidentOrders = new Set((await s.db.financeIncident.findMany({ where: { tenantId: 'craftmarket' }, select: { orderId: true } })).map((i) => i.orderId));
    for (const saga of SAGAS) expect(`${saga.outcome}: ${incidentOrders.has(saga.commandeId)}`).toBe(`${saga.outcome}: ${['invalid-seller', 'compensation-fails', 'insurance-refused'].includes(saga.outcome)}`);
    const retried = await s.db.ledgerEntry.findUnique({ where: { idempotencyKey: `charge-${SAGAS.find((x) => x.outcome === 'timeout-then-success')!.commandeId}` } });
    expect(retried!.attempts).toBeGreaterThan(1);

    const followUps = planFollowUps(SAGAS);
    const settled = await settleDemoFinanceWhenEnded(s.db, { databaseUrl: process.env.DATABASE_URL!, sagas: SIZES.sagas, clock: CLOCK, timeoutMs: 20_000, everyMs: 250 });
    expect(settled).toEqual({ done: followUps.length, waiting: 0 });
    const refunds = await s.db.paymentRefund.findMany({ where: { tenantId: 'craftmarket', orderId: { in: SAGAS.map((x) => x.commandeId) } } });
    expect(refunds.map((r) => [r.orderId, r.status, r.requestedByEmail])).toEqual(
      followUps.filter((f) => f.op === 'refund').map((f) => [f.commandeId, 'succeeded', 'finance@vigie.demo']),
    );
    const incidents = await s.db.financeIncident.findMany({ where: { tenantId: 'craftmarket' }, select: { orderId: true, status: true } });
    const statusOf = new Map(incidents.map((i) => [i.orderId, i.status]));
    for (const f of followUps.filter((x) => x.op === 'resolve-incident')) expect(statusOf.get(f.commandeId)).toBe('resolved');
    for (const f of followUps.filter((x) => x.op === 'acknowledge-and-assign')) expect(statusOf.get(f.commandeId)).toBe('acknowledged');
    expect(incidents.filter((i) => i.status === 'open').length).toBeGreaterThan(0);
    const audit = await s.db.auditLog.findMany({ where: { tenantId: 'craftmarket', actorEmail: 'finance@vigie.demo' }, select: { outcome: true } });
    expect(audit.length).toBeGreaterThanOrEqual(followUps.length);
    expect(audit.every((a) => a.outcome === 'ok')).toBe(true);

    // The finance history still holds one mismatch of every kind for the reconciliation page, once
    // the provider's webhooks for what the sagas did have arrived.
    await deliverProviderWebhooks(s.db);
    const now = Date.now();
    const result = await reconcile(s.db, new LocalPaymentGateway(s.db), { tenantId: 'craftmarket', from: new Date(now - 7 * 86_400_000), to: new Date(now + 86_400_000) });
    expect(new Set(result.mismatches.map((m) => m.kind))).toEqual(new Set(MISMATCH_KINDS));
  });

  it('starts nothing and writes nothing new when run again', async () => {
    const before = await footprint();
    const again = await seedDemo(target(), opts);
    expect(again.trials).toEqual({ started: 0, existing: SIZES.trials + NAMED.trials });
    expect(again.sagas).toEqual({ started: 0, existing: SIZES.sagas + NAMED.sagas });
    expect(again.batch).toBe('already there');
    expect(again.stuckCheckout).toBe('0 event(s) stored');
    expect(await settleDemoFinanceWhenEnded(s.db, { databaseUrl: process.env.DATABASE_URL!, sagas: SIZES.sagas, clock: CLOCK, timeoutMs: 0 })).toMatchObject({ waiting: 0 });
    expect(await footprint()).toEqual(before);
  });

  it('--reset-demo deletes the demo tenants\' workflows and data, keeps the rest, and seeds again', async () => {
    const other = await makeTenant('Not a demo tenant');
    await s.db.trialUser.create({ data: { id: `keep-${other.id}`, tenantId: other.id, name: 'Kept', email: `kept-${other.id}@example.test` } });
    const before = await footprint();
    const workflowsBefore = Object.values(before.workflows).reduce((a, b) => a + b, 0);

    const reseeded = await seedDemo(target(), { ...opts, reset: true });
    expect(reseeded.reset!.workflows).toBe(workflowsBefore);
    expect(reseeded.trials).toEqual({ started: SIZES.trials + NAMED.trials, existing: 0 });
    expect(reseeded.sagas).toEqual({ started: SIZES.sagas + NAMED.sagas, existing: 0 });
    expect(reseeded.batch).toBe('started');
    expect(await stuckCheckouts()).toHaveLength(1);
    // Everything made again from scratch (visibility may take a moment to list the newest starts):
    // the follow-ups wait for the new sagas, the audit log keeps its rows.
    const after = await waitFor('the new workflows to be listed', async () => {
      const now = await footprint();
      return JSON.stringify(now.workflows) === JSON.stringify(before.workflows) && now;
    });
    expect(after.workflows).toEqual(before.workflows);
    expect(after.trialUsers).toBe(before.trialUsers);
    expect(after.refunds).toBe(1); // the finance history's console refund of CM-D-103
    expect(after.audit).toBe(before.audit);
    expect(after.staff).toBe(before.staff);
    expect(await s.db.trialUser.count({ where: { tenantId: other.id } })).toBe(1);
    // The old faults went with the old runs; the new runs have theirs, once.
    expect(await s.db.providerFault.count({ where: { target: `${trialOf('failed-email').workflowId}:bienvenue-trial` } })).toBe(1);
    expect(await s.db.providerFault.count({ where: { target: trialOf('stuck').email } })).toBe(1);
  });
});
