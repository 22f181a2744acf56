// The chaos run (`npm run chaos`, and a small size in scripts/chaos.test.ts): trials and payment
// sagas across the fault matrix, worked by a real worker process that is SIGKILLed and restarted
// every few seconds, a Temporal dev server (its own, on a SQLite file) restarted once, the worker's
// and the console's PostgreSQL connections terminated once while they work, and console actions
// sent over HTTP meanwhile. Then every promise is counted (chaos-checks.ts) into a table.
//
// It runs against the database DATABASE_URL names (migrated; scripts/chaos.ts makes a scratch one,
// the test uses its run's) and touches nothing but its own tenant, orders, trials and processes.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import pg from 'pg';
import { createPrismaClient, type Db } from '../../prisma/db';
import { clearFaults, injectFault } from '../../ports/faults';
import { createTemporalClient, loadTemporalEnv } from '../../temporal/config';
import { provisionTemporal } from '../../temporal/provision';
import { startOnboarding, startPaymentSaga } from '../../temporal/starters';
import { signalAbonnementSouscrit, signalFonctionnalitéActivée } from '../../temporal/workflows/onboarding.contract';
import { makeStaff, sessionCookieFor } from '../../test-support/factories';
import { checkChaos, type ChaosFacts, type ChaosRow, type ConsoleActionRecord } from './chaos-checks';
import { makeChaosPlan, type TrialPlan } from './chaos-plan';
import {
  buildConsoleIfStale, freePort, startConsole, startTemporalDevServer, startWorkerProcess, stopProcess,
  waitFor, waitForHttp, waitForOutput, type Env, type TemporalHandle,
} from './stack';

export interface ChaosOptions {
  trials: number;
  sagas: number;
  /** SIGKILLs of the worker; the work is started in as many batches, one per worker life. */
  kills: number;
  /** How long a worker works once ready before it is killed: a random span between these (ms). */
  workMs: [number, number];
  /** The length of a trial "day" (the 14-day sequence takes 14 of them). */
  dayMs: number;
  /** How long the work may take to close after the last kill. */
  settleTimeoutMs: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  ok: boolean;
  rows: ChaosRow[];
  seconds: number;
}

const NAMESPACE = 'vigie';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

/** The URL with an application_name, so pg_stat_activity tells each process's connections apart. */
function named(url: string, app: string) {
  const u = new URL(url);
  u.searchParams.set('application_name', app);
  return u.toString();
}

/** Retries `fn` until it succeeds or `timeoutMs` passes: the Temporal server may be restarting. */
async function patiently<T>(what: string, fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw new Error(`${what}: ${(error as Error).message}`);
      await sleep(500);
    }
  }
}

/** The worker process, restarted at once after each kill — and after any exit we did not cause, which is counted. */
class WorkerSupervisor {
  kills = 0;
  lives = 0;
  readonly crashes: string[] = [];
  private stopping = false;
  current!: { child: ChildProcess; ready: Promise<void>; killed: boolean; output: string };

  constructor(private readonly env: Env) {
    this.spawn();
  }

  private spawn() {
    const child = startWorkerProcess(this.env, { quiet: true });
    const life = { child, ready: waitForOutput(child, /worker ready/, 'the worker', 180_000), killed: false, output: '' };
    life.ready.catch(() => {});
    const keep = (c: Buffer) => { life.output = (life.output + c.toString()).slice(-4_000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      if (life.killed || this.stopping) return;
      this.crashes.push(`worker exited by itself (code ${code}, signal ${signal}):\n${life.output.split('\n').slice(-15).join('\n')}`);
      this.spawn();
    });
    this.current = life;
    this.lives++;
  }

  ready() {
    return this.current.ready;
  }

  async kill() {
    const life = this.current;
    life.killed = true;
    const exited = new Promise<void>((resolve) => life.child.once('exit', () => resolve()));
    try { process.kill(-life.child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    await exited;
    this.kills++;
    this.spawn();
  }

  alive(child: ChildProcess) {
    return child.exitCode === null && child.signalCode === null;
  }

  async stop() {
    this.stopping = true;
    await stopProcess(this.current.child, 30_000);
  }
}

/** The console over HTTP, as a browser with a session: each action carries its idempotency key. */
class ConsoleClient {
  readonly actions: ConsoleActionRecord[] = [];
  constructor(readonly base: string, private readonly cookie: string) {}

  get(pathname: string) {
    return fetch(this.base + pathname, { headers: { Cookie: this.cookie } });
  }

  /**
   * No answer (or a 5xx that is not the action's own): the same key again, as the console's
   * button does. The action's own failure (Temporal restarting…) is stored under its key, so
   * the operator asks again with a new key, as after a failed click.
   */
  async act(name: string, pathname: string, form: Record<string, string>, money?: ConsoleActionRecord['money']) {
    const record: ConsoleActionRecord = { name, keys: [], ok: false, ...(money ? { money } : {}) };
    this.actions.push(record);
    for (let attempt = 0; attempt < 6 && !record.ok; attempt++) {
      const key = `chaos-${randomUUID()}`;
      let answer: { status: number; ok: boolean; body: string } = { status: 0, ok: false, body: '' };
      for (let again = 0; again < 6; again++) {
        const res = await fetch(this.base + pathname, {
          method: 'POST',
          headers: { Cookie: this.cookie, Origin: this.base, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...form, idempotencyKey: key }),
          signal: AbortSignal.timeout(30_000),
        }).catch(() => null);
        const body = res ? await res.text().catch(() => '') : '';
        answer = { status: res?.status ?? 0, ok: res?.ok ?? false, body: body.slice(0, 300) };
        const actionsOwnAnswer = res !== null && (res.status < 500 || body.startsWith('{"ok":false'));
        if (actionsOwnAnswer) break;
        await sleep(1_000);
      }
      record.keys.push({ key, status: answer.status, body: answer.body });
      record.ok = answer.ok;
      if (!record.ok) await sleep(2_000);
    }
    return record;
  }
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const say = o.log ?? (() => {});
  const startedAt = Date.now();
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL must name a migrated database');
  const plan = makeChaosPlan({ trials: o.trials, sagas: o.sagas, batches: Math.max(1, o.kills) });
  const apps = { worker: `vigie-chaos-worker-${plan.runId}`, console: `vigie-chaos-console-${plan.runId}` };
  const taskQueue = `chaos-${plan.runId}`;
  const cleanups: Array<() => Promise<unknown>> = [];
  const db: Db = createPrismaClient(named(databaseUrl, `vigie-chaos-run-${plan.runId}`), { max: 5 });
  cleanups.push(() => db.$disconnect());
  // In memory when the machine has /dev/shm: the dev server's SQLite writes are its bottleneck on a busy disk.
  const dir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'vigie-chaos-'));
  let passed = false;
  // A failed run keeps the Temporal server's file, to read its histories (`temporal server start-dev --db-filename`).
  cleanups.push(async () => (passed ? rmSync(dir, { recursive: true, force: true }) : say(`Temporal histories kept in ${dir}`)));

  try {
    // Its own Temporal dev server on a SQLite file: a restart keeps the workflows, and no other run's server is touched.
    const temporalOpts = { port: await freePort(), namespace: NAMESPACE, dbFile: path.join(dir, 'temporal.db'), quiet: true };
    let temporal: TemporalHandle = await startTemporalDevServer(temporalOpts);
    cleanups.push(() => temporal.stop());
    const temporalEnv = { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: NAMESPACE, TEMPORAL_TASK_QUEUE: taskQueue };
    const temporalSettings = loadTemporalEnv({ ...process.env, ...temporalEnv });
    await provisionTemporal(temporalSettings);
    const client: Client = await createTemporalClient(temporalSettings);
    cleanups.push(() => client.connection.close());
    say(`temporal dev server on ${temporal.address} (${temporalOpts.dbFile}), task queue ${taskQueue}`);

    const tenant = await db.tenant.create({ data: { id: `t-chaos-${plan.runId}`, name: `Chaos ${plan.runId}` } });
    const staff = await makeStaff({ [tenant.id]: 'admin' });
    const cookie = await sessionCookieFor(staff, tenant.id);
    await db.trialUser.createMany({ data: plan.trials.map((t) => ({ id: t.userId, tenantId: tenant.id, email: t.email, name: `Chaos ${t.userId}` })) });

    if (buildConsoleIfStale()) say('console built');
    const consolePort = await freePort();
    const base = `http://127.0.0.1:${consolePort}`;
    const processEnv: Env = { ...temporalEnv, NODE_ENV: 'production', PAYMENT_GATEWAY: 'local', MAILER: 'local' };
    const consoleProcess = startConsole({ ...processEnv, DATABASE_URL: named(databaseUrl, apps.console), PORT: String(consolePort), PUBLIC_URL: base }, { quiet: true });
    cleanups.push(() => stopProcess(consoleProcess));
    const workers = new WorkerSupervisor({ ...processEnv, DATABASE_URL: named(databaseUrl, apps.worker) });
    cleanups.push(() => workers.stop());
    await waitForHttp(`${base}/healthz`, 120_000, consoleProcess);
    const consoleClient = new ConsoleClient(base, cookie.header);

    const pending: Array<Promise<unknown>> = [];
    /** What the scenario itself could not do (a signal never accepted, an action with no saga to act on): each fails the run. */
    const errors: string[] = [];
    const startBatch = async (batch: number) => {
      const trials = plan.trials.filter((t) => t.batch === batch);
      const sagas = plan.sagas.filter((s) => s.batch === batch);
      for (const f of [...trials, ...sagas].flatMap((w) => w.faults)) await injectFault(db, f);
      await Promise.all([
        ...trials.map((t) => patiently(`start ${t.workflowId}`, () => startOnboarding(client, {
          tenantId: tenant.id, utilisateurId: t.userId, email: t.email, prénom: 'Chaos', planEssaiId: 'essai-14j',
          durées: { j1: o.dayMs, j3: 3 * o.dayMs, j7: 7 * o.dayMs, j12: 12 * o.dayMs, j14: 14 * o.dayMs, jour: o.dayMs },
        }, { taskQueue }))),
        ...sagas.map((s) => patiently(`start ${s.workflowId}`, () => startPaymentSaga(client, {
          tenantId: tenant.id, commandeId: s.orderId, acheteurId: `cus-${s.orderId}`, vendeurId: `acct-${s.orderId}`, montantTotal: s.amountCents,
        }, { taskQueue }))),
      ]);
      for (const t of trials) pending.push(signalLater(t).catch((e: unknown) => errors.push(`signal to ${t.workflowId}: ${(e as Error).message}`)));
      if (batch === 0) {
        for (const op of ['refund', 'retry-compensation'] as const) pending.push(consoleMoneyAction(op).catch((e: unknown) => errors.push(`${op}: ${(e as Error).message}`)));
      }
      say(`batch ${batch + 1}/${plan.batches}: ${trials.length} trials and ${sagas.length} sagas started`);
    };

    /** Each trial's signal at its planned day, from a Temporal client or through the console. */
    const signalLater = async (t: TrialPlan) => {
      if (t.kind === 'plain') return;
      await sleep(t.signalAfterDays * o.dayMs);
      const userPath = `/t/${tenant.id}/trials/${encodeURIComponent(t.userId)}/signal`;
      if (t.kind === 'terminated') {
        await consoleClient.act(`terminate ${t.workflowId}`, `/t/${tenant.id}/workflows/${encodeURIComponent(t.workflowId)}/op`, { op: 'terminate', reason: 'chaos: terminated from the console' });
      } else if (t.kind === 'subscribed') {
        if (t.viaConsole) await consoleClient.act(`subscription signal ${t.workflowId}`, userPath, { signal: signalAbonnementSouscrit.name, planId: 'pro', montant: '29,00' });
        else await patiently(`signal ${t.workflowId}`, () => client.workflow.getHandle(t.workflowId).signal(signalAbonnementSouscrit, { planId: 'pro', montant: 2_900 }));
      } else if (t.viaConsole) {
        await consoleClient.act(`feature signal ${t.workflowId}`, userPath, { signal: signalFonctionnalitéActivée.name, fonctionnalité: 'export' });
      } else {
        await patiently(`signal ${t.workflowId}`, () => client.workflow.getHandle(t.workflowId).signal(signalFonctionnalitéActivée, { fonctionnalité: 'export' }));
      }
    };

    /** On the first saga to end fit for it: a partial refund of a paid order, or a failed compensation retried once its fault is lifted. */
    const consoleMoneyAction = async (op: 'refund' | 'retry-compensation') => {
      const [kind, ended] = op === 'refund' ? ['success', 'succeeded'] : ['failing_compensation', 'compensation_incomplete'];
      const candidates = plan.sagas.filter((s) => s.kind === kind).map((s) => s.orderId);
      let orderId: string | undefined;
      await waitFor(`a ${kind} saga ${ended}`, async () => {
        orderId = (await db.paymentSaga.findFirst({ where: { orderId: { in: candidates }, status: ended }, select: { orderId: true } }))?.orderId;
        return orderId !== undefined;
      }, o.settleTimeoutMs);
      const moneyPath = `/t/${tenant.id}/payments/${encodeURIComponent(orderId!)}/money`;
      if (op === 'refund') {
        await consoleClient.act(`refund 25,00 € of ${orderId}`, moneyPath, { op, amount: '25,00', reason: 'chaos: partial refund' }, { op, orderId: orderId! });
      } else {
        await clearFaults(db, orderId!);
        await consoleClient.act(`retry the transfer reversal of ${orderId}`, moneyPath, { op, compensation: 'inverserTransfertVendeur' }, { op, orderId: orderId! });
      }
    };

    // One batch per worker life; the dev server restart and the connection cut each happen in one life.
    const restartAt = Math.min(plan.batches - 1, 1);
    const cutAt = Math.min(plan.batches - 1, Math.floor(plan.batches / 2));
    let temporalRestarts = 0;
    let cut: ChaosFacts['connectionCut'] = null;
    for (let batch = 0; batch < plan.batches; batch++) {
      await startBatch(batch);
      await workers.ready();
      await sleep(between(o.workMs));
      if (batch === restartAt) {
        say('restarting the Temporal dev server');
        await temporal.stop();
        temporal = await startTemporalDevServer(temporalOpts);
        temporalRestarts++;
        await sleep(between(o.workMs));
      }
      if (batch === cutAt) {
        cut = await cutConnections(databaseUrl, apps, workers, consoleClient, client, taskQueue, tenant.id, say);
      }
      say(`SIGKILL worker ${workers.kills + 1}/${o.kills}`);
      await workers.kill();
    }
    await workers.ready();

    say('waiting for every workflow to close');
    const ids = [...plan.trials.map((t) => t.workflowId), ...plan.sagas.map((s) => s.workflowId)];
    await waitFor('every chaos workflow to close', async () => (await client.workflow.count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`)).count === 0, o.settleTimeoutMs)
      .catch((e: unknown) => errors.push((e as Error).message));
    await Promise.all(pending);
    say(`all ${ids.length} workflows closed; checking`);

    const rows = await checkChaos({
      plan, db, client, tenantId: tenant.id,
      faults: { kills: workers.kills, wantedKills: o.kills, temporalRestarts, crashes: workers.crashes, consoleAlive: consoleProcess.exitCode === null && consoleProcess.signalCode === null },
      connectionCut: cut,
      consoleActions: consoleClient.actions,
      errors,
    });
    // The faults it armed and did not use stay out of the way of whoever uses this database next.
    await db.providerFault.deleteMany({ where: { target: { in: [...plan.trials, ...plan.sagas].flatMap((w) => w.faults.map((x) => x.target ?? '')) } } });
    passed = rows.every((r) => r.ok);
    return { ok: passed, rows, seconds: Math.round((Date.now() - startedAt) / 1000) };
  } finally {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => say(`cleanup failed: ${(e as Error).message}`));
  }
}

/**
 * pg_terminate_backend on every connection of the worker and of the console, in one statement,
 * while the console serves pages and the worker works; then both must still be running and
 * answering: a workflow closes afterwards (only this worker runs), /healthz and a page answer 200.
 */
async function cutConnections(
  databaseUrl: string, apps: { worker: string; console: string }, workers: WorkerSupervisor, consoleClient: ConsoleClient,
  client: Client, taskQueue: string, tenantId: string, say: (line: string) => void,
): Promise<NonNullable<ChaosFacts['connectionCut']>> {
  const admin = new pg.Client({ connectionString: named(databaseUrl, 'vigie-chaos-admin') });
  await admin.connect();
  const life = workers.current;
  let busy = true;
  const load = (async () => {
    while (busy) await Promise.all([consoleClient.get(`/t/${tenantId}/trials`), consoleClient.get(`/t/${tenantId}/payments`)].map((p) => p.then((r) => r.text()).catch(() => '')));
  })();
  try {
    const connections = async () => {
      const { rows } = await admin.query<{ app: string; n: string }>('SELECT application_name AS app, count(*)::text AS n FROM pg_stat_activity WHERE application_name = ANY($1) GROUP BY 1', [[apps.worker, apps.console]]);
      return Object.fromEntries(rows.map((r) => [r.app, Number(r.n)]));
    };
    await waitFor('both processes connected to PostgreSQL', async () => {
      const c = await connections();
      return (c[apps.worker] ?? 0) > 0 && (c[apps.console] ?? 0) > 0;
    }, 60_000);
    const at = new Date();
    const { rows } = await admin.query<{ app: string; n: string }>(
      'SELECT application_name AS app, count(*) FILTER (WHERE pg_terminate_backend(pid))::text AS n FROM pg_stat_activity WHERE application_name = ANY($1) GROUP BY 1',
      [[apps.worker, apps.console]],
    );
    const terminated = Object.fromEntries(rows.map((r) => [r.app, Number(r.n)]));
    say(`pg_terminate_backend: ${terminated[apps.worker] ?? 0} worker and ${terminated[apps.console] ?? 0} console connections`);
    busy = false;
    await load;
    let closedAfter = 0;
    await waitFor('a workflow closed by the worker after the cut', async () => {
      closedAfter = (await client.workflow.count(`TaskQueue = "${taskQueue}" AND CloseTime > "${at.toISOString()}"`)).count;
      return closedAfter > 0 || !workers.alive(life.child);
    }, 180_000).catch(() => {});
    const health = await consoleClient.get('/healthz').then((r) => r.status).catch(() => 0);
    const page = await consoleClient.get(`/t/${tenantId}/trials`).then(async (r) => { await r.text(); return r.status; }).catch(() => 0);
    return {
      workerConnections: terminated[apps.worker] ?? 0,
      consoleConnections: terminated[apps.console] ?? 0,
      workerAliveAndWorking: workers.alive(life.child) && workers.current === life && closedAfter > 0,
      healthStatus: health,
      pageStatus: page,
    };
  } finally {
    busy = false;
    await load;
    await admin.end().catch(() => {});
  }
}

/** The table the run prints: one line per check, ✓ or ✗. */
export function formatChaosTable(report: ChaosReport): string {
  const head = ['check', 'expected', 'actual', ''];
  const lines = report.rows.map((r) => [r.check, r.expected, r.actual, r.ok ? '✓' : '✗']);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}
