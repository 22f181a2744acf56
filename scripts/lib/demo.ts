// The demo data of `npm start`, in one call: the demo tenants and logins, CraftMarket's finance
// history, DataSync's trials and CraftMarket's payment sagas (demo-plan.ts says which), run by the
// real worker. It refuses, before connecting to anything, a database or Temporal namespace that
// is not the demo's own (demo-target.ts) unless told `anywhere`. Idempotent: a second run finds
// everything in place; `reset` deletes the demo tenants' data and workflows first.
import type { Client } from '@temporalio/client';
import { createPrismaClient, type Db } from '../../prisma/db';
import { DEMO_TRIAL_USERS } from '../../prisma/demo-data';
import { seedCore } from '../../prisma/seed';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import { createTemporalClient, loadTemporalEnv } from '../../temporal/config';
import { onboardingWorkflowId } from '../../temporal/workflows/wire-names';
import { seedDemoStuckCheckout } from './demo-checkouts';
import { DEMO_FAILED_SAGA, seedDemoFinance, seedDemoFinanceWorkflows } from './demo-finance';
import { DEMO_CLOCK, planDemoSagas, planDemoTrials, type DemoClock } from './demo-plan';
import { DEMO_TENANT_IDS, deleteTenantRows, deleteTenantWorkflows } from './demo-reset';
import { assertDemoTarget, type DemoTarget } from './demo-target';
import { seedDemoBatch, seedDemoWorkflows, type SeedCounts } from './demo-workflows';

export interface DemoOptions {
  trials: number;
  sagas: number;
  clock?: DemoClock;
  /** Write even where the target is not the demo's (--demo-anywhere). */
  anywhere?: boolean;
  /** Delete the demo tenants' data and workflows first (--reset-demo). */
  reset?: boolean;
  /**
   * The worker uses the local payment provider and mailer (default). Off (PAYMENT_GATEWAY=stripe
   * or MAILER=resend), no demo workflow is started and no finance history written: they would
   * charge and mail through the real providers.
   */
  localProviders?: boolean;
  /** Default: TEMPORAL_TASK_QUEUE from the environment. */
  taskQueue?: string;
  concurrency?: number;
}

export interface DemoResult {
  reset: { workflows: number; rows: number } | null;
  trials: SeedCounts;
  sagas: SeedCounts;
  financeOrders: number;
  /** The batch job of the jobs page: started, already there, refused, or skipped. */
  batch: string;
  /** CartFlow's checkout stuck in payment: events stored, or skipped. */
  stuckCheckout: string;
  ms: number;
}

/** The console's own functions (audited actions, batches) use DATABASE_URL and TEMPORAL_*: only when they are the target. */
const consoleEnvIsTarget = (t: DemoTarget) =>
  process.env.DATABASE_URL === t.databaseUrl && process.env.TEMPORAL_ADDRESS === t.temporal.TEMPORAL_ADDRESS && (process.env.TEMPORAL_NAMESPACE ?? 'vigie') === t.temporal.TEMPORAL_NAMESPACE;

/** The clients for a target, made only after the target was checked. */
async function connect(target: DemoTarget) {
  const db = createPrismaClient(target.databaseUrl, { max: 6 });
  try {
    const client = await createTemporalClient({ ...loadTemporalEnv(), ...target.temporal });
    return { db, client, close: async () => { await client.connection.close(); await db.$disconnect(); } };
  } catch (error) {
    await db.$disconnect();
    throw error;
  }
}

/** Orders, trial workflows and addresses the plan may have armed faults for. */
export function plannedIds(opts: Pick<DemoOptions, 'trials' | 'sagas' | 'clock'>) {
  const trials = planDemoTrials(opts.trials, opts.clock ?? DEMO_CLOCK);
  return {
    orderIds: [...planDemoSagas(opts.sagas, opts.clock ?? DEMO_CLOCK).map((s) => s.commandeId), DEMO_FAILED_SAGA],
    workflowIds: [...trials.map((t) => t.workflowId), ...DEMO_TRIAL_USERS.map((u) => onboardingWorkflowId(u.id))],
    emails: trials.map((t) => t.email),
  };
}

/** Deletes the demo tenants' workflows and rows; `wait: false` does not wait for Temporal to finish deleting (no new start follows). */
export async function resetDemo(db: Db, client: Client, opts: Pick<DemoOptions, 'trials' | 'sagas' | 'clock'> & { wait?: boolean }) {
  // Workflows first, so no activity of theirs writes again behind the deleted rows.
  const workflows = await deleteTenantWorkflows(client, DEMO_TENANT_IDS, { wait: opts.wait });
  const rows = await deleteTenantRows(db, DEMO_TENANT_IDS, plannedIds(opts));
  return { workflows, rows };
}

export async function seedDemo(target: DemoTarget, opts: DemoOptions): Promise<DemoResult> {
  assertDemoTarget(target, opts.anywhere);
  const started = Date.now();
  const { db, client, close } = await connect(target);
  try {
    const reset = opts.reset ? await resetDemo(db, client, opts) : null;
    await seedCore(db);
    if (opts.localProviders === false) {
      const none = { started: 0, existing: 0 };
      return { reset, trials: none, sagas: none, financeOrders: 0, batch: 'skipped (real payment or mail provider)', stuckCheckout: 'skipped', ms: Date.now() - started };
    }
    const finance = await seedDemoFinance(db, new LocalPaymentGateway(db));
    const { trials, sagas } = await seedDemoWorkflows(db, client, opts);
    await seedDemoFinanceWorkflows(db, client, opts.taskQueue ? { taskQueue: opts.taskQueue } : {});
    const elsewhere = 'skipped (DATABASE_URL / TEMPORAL_ADDRESS differ from the target)';
    const batch = consoleEnvIsTarget(target) ? await seedDemoBatch(db, client, opts.trials) : elsewhere;
    const stuckCheckout = consoleEnvIsTarget(target) ? `${await seedDemoStuckCheckout()} event(s) stored` : elsewhere;
    return { reset, trials, sagas, financeOrders: finance.orders, batch, stuckCheckout, ms: Date.now() - started };
  } finally {
    await close();
  }
}

export function describeDemo(r: DemoResult): string {
  const counts = (c: SeedCounts) => `${c.started} started, ${c.existing} already there`;
  return [
    r.reset ? `reset: ${r.reset.workflows} workflow(s) and ${r.reset.rows} row(s) deleted; ` : '',
    `demo in place in ${(r.ms / 1000).toFixed(1)} s: trials (DataSync) ${counts(r.trials)}; payment sagas (CraftMarket) ${counts(r.sagas)}; `,
    `${r.financeOrders} CraftMarket finance history orders; batch job ${r.batch}; CartFlow's stuck checkout ${r.stuckCheckout}`,
  ].join('');
}
