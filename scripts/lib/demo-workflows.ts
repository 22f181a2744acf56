// Demo workflows for `npm start`, run by the real worker: DataSync's onboarding trials (the five
// named demo users and the planned ones of demo-plan.ts) and CraftMarket's payment sagas, with
// their provider faults armed first. Ids are deterministic and a workflow already in Temporal is
// left alone, so a second run starts nothing and arms nothing. Starts go DEMO_CONCURRENCY at a time.
import type { Client } from '@temporalio/client';
import type { Db } from '../../prisma/db';
import { DEMO_TRIAL_USERS } from '../../prisma/demo-data';
import { injectFault, type FaultSpec } from '../../ports/faults';
import { tenantQuery } from '../../temporal/search-attributes';
import { startOnboarding, startPaymentSaga } from '../../temporal/starters';
import {
  ONBOARDING_WORKFLOW_TYPE,
  onboardingWorkflowId,
  signalAbonnementSouscrit,
  signalFonctionnalitéActivée,
  signalOnboardingComplété,
  type DuréesOnboarding,
} from '../../temporal/workflows/onboarding.contract';
import { PAYMENT_WORKFLOW_TYPE, paymentWorkflowId } from '../../temporal/workflows/payment.contract';
import { demoStaffContext } from './demo-finance';
import { DEMO_CLOCK, DEMO_SAGAS_TENANT, DEMO_TRIALS_TENANT, describeDay, planDemoSagas, planDemoTrials, type DemoClock } from './demo-plan';

const DEMO_CONCURRENCY = 16;

// The five named demo users: every other one on a compressed clock (a "day" of two minutes).
const FAST_DAY_MS = 120_000;
const FAST: Partial<DuréesOnboarding> = { j1: '2m', j3: '6m', j7: '14m', j12: '24m', j14: '28m', jour: '2m' };
const NAMED_SAGAS = [18_000, 24_550, 9_990];

/** Runs `fn` over `items`, at most `concurrency` at a time. */
export async function inPool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Ids of the tenant's workflows of one type that Temporal already has (any status). */
export async function existingWorkflowIds(client: Client, tenantId: string, workflowType: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const w of client.workflow.list({ query: tenantQuery(tenantId, `WorkflowType = '${workflowType}'`), pageSize: 1000 })) ids.add(w.workflowId);
  return ids;
}

/** Arms each fault unless one for the same operation and target is already there (used up or not). */
async function armOnce(db: Db, faults: FaultSpec[]) {
  for (const f of faults) {
    if ((await db.providerFault.count({ where: { operation: f.operation, target: f.target ?? null } })) === 0) await injectFault(db, f);
  }
}

export interface SeedCounts {
  started: number;
  existing: number;
}

export interface DemoWorkflowOptions {
  trials: number;
  sagas: number;
  clock?: DemoClock;
  /** Default: TEMPORAL_TASK_QUEUE from the environment. */
  taskQueue?: string;
  concurrency?: number;
}

export async function seedDemoWorkflows(db: Db, client: Client, opts: DemoWorkflowOptions): Promise<{ trials: SeedCounts; sagas: SeedCounts }> {
  const clock = opts.clock ?? DEMO_CLOCK;
  const start = opts.taskQueue ? { taskQueue: opts.taskQueue } : {};
  const planned = planDemoTrials(opts.trials, clock);
  await db.trialUser.createMany({
    data: planned.map((t) => ({ id: t.userId, tenantId: DEMO_TRIALS_TENANT, name: t.name, email: t.email })),
    skipDuplicates: true,
  });
  const [knownTrials, knownSagas] = await Promise.all([
    existingWorkflowIds(client, DEMO_TRIALS_TENANT, ONBOARDING_WORKFLOW_TYPE),
    existingWorkflowIds(client, DEMO_SAGAS_TENANT, PAYMENT_WORKFLOW_TYPE),
  ]);
  const trials: SeedCounts = { started: 0, existing: 0 };
  const sagas: SeedCounts = { started: 0, existing: 0 };

  type Job = { workflowId: string; counts: SeedCounts; faults: FaultSpec[]; run: () => Promise<void> };
  const jobs: Job[] = [
    ...DEMO_TRIAL_USERS.map((u, i): Job => ({
      workflowId: onboardingWorkflowId(u.id),
      counts: trials,
      faults: [],
      run: async () => {
        const fast = i % 2 === 1;
        await startOnboarding(
          client,
          { tenantId: DEMO_TRIALS_TENANT, utilisateurId: u.id, email: u.email, prénom: u.name.split(' ')[0]!, planEssaiId: 'trial-14j', durées: fast ? FAST : undefined },
          { ...start, ...(fast ? { memo: { demoClock: `accelerated demo clock: a trial day lasts ${describeDay(FAST_DAY_MS)}` } } : {}) },
        );
      },
    })),
    // The trials with a fault go last, the newest of the tenant: the stuck view looks at the
    // latest running workflows, and the list opens on them.
    ...[...planned.filter((t) => t.faults.length === 0), ...planned.filter((t) => t.faults.length > 0)].map((t): Job => ({
      workflowId: t.workflowId,
      counts: trials,
      faults: t.faults,
      run: async () => {
        const handle = await startOnboarding(
          client,
          { tenantId: DEMO_TRIALS_TENANT, utilisateurId: t.userId, email: t.email, prénom: t.name.split(' ')[0]!, planEssaiId: 'trial-14j', durées: t.durées },
          { ...start, ...(t.clockNote ? { memo: { demoClock: t.clockNote } } : {}) },
        );
        for (const fonctionnalité of t.features) await handle.signal(signalFonctionnalitéActivée, { fonctionnalité });
        if (t.onboardingCompleted) await handle.signal(signalOnboardingComplété);
        if (t.subscription) await handle.signal(signalAbonnementSouscrit, t.subscription);
      },
    })),
    ...NAMED_SAGAS.map((montantTotal, i): Job => {
      const commandeId = `CM-${2001 + i}`;
      return {
        workflowId: paymentWorkflowId(commandeId),
        counts: sagas,
        faults: [],
        run: async () => void (await startPaymentSaga(client, { tenantId: DEMO_SAGAS_TENANT, commandeId, acheteurId: `acheteur-${i + 1}`, vendeurId: `vendeur-${i + 1}`, montantTotal }, start)),
      };
    }),
    ...planDemoSagas(opts.sagas, clock).map((s): Job => ({
      workflowId: paymentWorkflowId(s.commandeId),
      counts: sagas,
      faults: s.faults,
      run: async () => void (await startPaymentSaga(client, { tenantId: DEMO_SAGAS_TENANT, commandeId: s.commandeId, acheteurId: s.acheteurId, vendeurId: s.vendeurId, montantTotal: s.montantTotal }, start)),
    })),
  ];

  await inPool(jobs, opts.concurrency ?? DEMO_CONCURRENCY, async (job) => {
    if (knownTrials.has(job.workflowId) || knownSagas.has(job.workflowId)) {
      job.counts.existing++;
      return;
    }
    // Faults first: the workflow's first activity may run the moment it starts.
    await armOnce(db, job.faults);
    await job.run();
    job.counts.started++;
  });
  return { trials, sagas };
}

/**
 * A batch operation for the jobs page, through the console's own batch function: oncall@vigie.demo
 * signals fonctionnalitéActivée "import-csv" to the production-schedule trials that already
 * activated a feature (their phase stays activation). Its request key carries the run id of the
 * first of them, so it runs once per seeding (a reset makes new runs, hence a new job).
 * The console function talks to TEMPORAL_ADDRESS and DATABASE_URL: the caller checks they are the target.
 */
export async function seedDemoBatch(db: Db, client: Client, trials: number): Promise<string> {
  const ids = planDemoTrials(trials).filter((t) => t.kind === 'activated').slice(0, 20).map((t) => t.workflowId);
  if (ids.length === 0) return 'none (no trial to signal)';
  const { runId } = await client.workflow.getHandle(ids[0]!).describe();
  const { runBatchAction } = await import('../../app/workflows/batch.server');
  const ctx = await demoStaffContext(db, 'oncall@vigie.demo', DEMO_TRIALS_TENANT, 'oncall');
  const outcome = await runBatchAction(ctx, {
    idempotencyKey: `demo-batch-import-csv-${runId}`, op: 'signal', signal: 'fonctionnalitéActivée', fonctionnalité: 'import-csv', resetTo: 'last',
    scope: 'selection', ids: ids.join(','), expectedCount: ids.length, reason: 'CSV import shipped: its beta testers already use it (demo)',
  });
  // Refused (say, every one of them was terminated by hand): the demo goes on without it.
  if (!outcome.ok) return `refused: ${outcome.error}`;
  return outcome.replayed ? 'already there' : 'started';
}
