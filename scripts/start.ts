// `npm start`: the whole console with demo data on this machine. Run twice, it reuses
// the database, the Temporal state and the build, and starts in seconds.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ensureDatabase, migrate } from '../prisma/migrate';
import { createPrismaClient } from '../prisma/db';
import { seedCore } from '../prisma/seed';
import { DEMO_PASSWORD, DEMO_STAFF } from '../prisma/demo-data';
import { provisionTemporal } from '../temporal/provision';
import { loadTemporalEnv } from '../temporal/config';
import { describeDemo, seedDemo } from './lib/demo';
import pino from 'pino';
import { logTo } from '../app/server/log.server';
import { settleDemoFinanceWhenEnded } from './lib/demo-finance';
import { DEMO_CLOCK, demoSizes } from './lib/demo-plan';
import { assertDemoTarget, demoTargetProblem, DemoTargetRefused, parseStartFlags, startTarget, UsageError } from './lib/demo-target';
import { runSimulation, simulatorKeys } from './lib/simulator';
import { runLocalWebhookForwarder } from '../ports/local-webhook-forwarder';
import {
  DATA_DIR, DEV_TEMPORAL_PORT, ROOT, DEV_TEMPORAL_UI_PORT, buildConsoleIfStale, ensurePostgres, log, portOpen, redact, startConsole, startTemporalDevServer,
  startWorkerProcess, stopProcess, waitForHttp, waitForOutput, type Env, type TemporalHandle,
} from './lib/stack';

const PORT = Number(process.env.PORT ?? 3000);
// The background simulator: a few shoppers and board users at a human pace, so live checkouts
// move and kanban save errors arrive without loading a 2-core machine.
const SIMULATOR = { shoppers: 2, boards: 2, speed: 2, faults: 0.25 };

// Flags (after `npm start --`) and the demo's safety rule come first: nothing is started or
// written when they refuse.
let flags: ReturnType<typeof parseStartFlags>;
let sizes: ReturnType<typeof demoSizes>;
try {
  flags = parseStartFlags(process.argv.slice(2));
  sizes = demoSizes();
  if (flags.demo) assertDemoTarget(startTarget(process.env), flags.demoAnywhere);
} catch (error) {
  if (!(error instanceof UsageError || error instanceof DemoTargetRefused || error instanceof RangeError)) throw error;
  console.error(`[vigie] ${error.message}`);
  process.exit(error instanceof DemoTargetRefused ? 1 : 2);
}

const stops: Array<() => Promise<void>> = [];
let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  for (const stop of stops.reverse()) await stop().catch((e) => console.error(e));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const started = Date.now();
  const pgHandle = await ensurePostgres('vigie');
  stops.push(pgHandle.stop);
  await ensureDatabase(pgHandle.url);
  const migrations = await migrate(pgHandle.url);
  log(`PostgreSQL ${redact(pgHandle.url)}: ${migrations.applied.length} migration(s) applied`);
  const db = createPrismaClient(pgHandle.url);
  // Without the demo, the demo tenants and logins are still made in the demo's own database
  // (so there is someone to sign in as), and nowhere else.
  const logins = flags.demo || !demoTargetProblem(startTarget(process.env));
  if (!flags.demo && logins) await seedCore(db);
  // The demo's workflows and finance history live in the local payment and mail stand-ins.
  const localProviders = (process.env.PAYMENT_GATEWAY ?? 'local') === 'local' && (process.env.MAILER ?? 'local') === 'local';

  let temporalHandle: TemporalHandle | null = null;
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    temporalAddress = `127.0.0.1:${DEV_TEMPORAL_PORT}`;
    if (await portOpen(DEV_TEMPORAL_PORT)) {
      log(`reusing the Temporal server already listening on ${temporalAddress}`);
    } else {
      temporalHandle = await startTemporalDevServer({
        port: DEV_TEMPORAL_PORT,
        uiPort: DEV_TEMPORAL_UI_PORT,
        dbFile: path.join(DATA_DIR, 'temporal.db'),
        namespace: process.env.TEMPORAL_NAMESPACE ?? 'vigie',
        // Its own log (SQLite contention errors under the demo's load among them) goes to .cache/temporal.log.
        quiet: true,
      });
      stops.push(temporalHandle.stop);
    }
  }
  const env: Env = {
    DATABASE_URL: pgHandle.url,
    TEMPORAL_ADDRESS: temporalAddress,
    PORT: String(PORT),
    NODE_ENV: 'production',
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${PORT}`,
    // Local stand-ins for Stripe and Resend unless the environment names the real ones.
    PAYMENT_GATEWAY: process.env.PAYMENT_GATEWAY ?? 'local',
    MAILER: process.env.MAILER ?? 'local',
    // The worker's Temporal SDK metrics (Prometheus), beside the console's /metrics.
    WORKER_METRICS_ADDRESS: process.env.WORKER_METRICS_ADDRESS ?? '127.0.0.1:9464',
    // The provider webhooks' signing secret; for the local stand-in, a new one each start (its forwarder below signs with it).
    ...(process.env.STRIPE_WEBHOOK_SECRET || (process.env.PAYMENT_GATEWAY ?? 'local') === 'local'
      ? { STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('hex')}` }
      : {}),
  };
  Object.assign(process.env, env);
  const provisioned = await provisionTemporal(loadTemporalEnv());
  if (provisioned.addedSearchAttributes.length) log(`search attributes added: ${provisioned.addedSearchAttributes.join(', ')}`);

  // The demo's workflows are started before the worker runs: they wait in the task queue, and a
  // reset deletes the old ones while no activity of theirs can write.
  // The demo acts through the console's own audited functions: their log lines go to the console's log file.
  logTo(pino.destination({ dest: path.join(ROOT, '.cache', 'demo.log'), mkdir: true, sync: false }));
  if (flags.demo) {
    if (!localProviders) log('PAYMENT_GATEWAY or MAILER names a real provider: the demo starts no workflow and writes no payment history');
    else log(`${flags.resetDemo ? 'resetting the demo (Temporal takes about 30 s to delete closed workflows), then seeding' : 'seeding'} ${sizes.trials} DataSync trials and ${sizes.sagas} CraftMarket payment sagas (DEMO_TRIALS, DEMO_SAGAS)...`);
    const seeded = await seedDemo({ databaseUrl: pgHandle.url, temporal: loadTemporalEnv() }, { ...sizes, anywhere: flags.demoAnywhere, reset: flags.resetDemo, localProviders });
    log(describeDemo(seeded));
  } else {
    log('no demo data and no simulator (--no-demo)');
  }

  if (buildConsoleIfStale()) log('console built');
  // Their JSON logs (one line per request, action and activity) go to .cache/worker.log and
  // .cache/console.log, not to this terminal; the summary below says where.
  const worker = startWorkerProcess(env, { quiet: true });
  stops.push(() => stopProcess(worker));
  const workerReady = waitForOutput(worker, /worker ready/, 'the worker');
  const consoleProcess = startConsole(env, { quiet: true });
  stops.push(() => stopProcess(consoleProcess));
  await waitForHttp(`http://127.0.0.1:${PORT}/healthz`, 60_000, consoleProcess);
  await workerReady;
  if ((env.PAYMENT_GATEWAY ?? 'local') === 'local') {
    // The local stand-in's webhooks, as `stripe listen --forward-to` would send Stripe's.
    const forwarderDb = createPrismaClient(pgHandle.url, { max: 2 });
    const stopForwarder = new AbortController();
    const forwarding = runLocalWebhookForwarder(forwarderDb, `http://127.0.0.1:${PORT}/api/v1/stripe-webhooks`, env.STRIPE_WEBHOOK_SECRET!, stopForwarder.signal, 500,
      (error) => log(`provider webhook forwarding failed (retried in 0.5 s): ${(error as Error).message}`));
    stops.push(async () => {
      stopForwarder.abort();
      await forwarding;
      await forwarderDb.$disconnect();
    });
  }
  if (flags.demo) {
    // Live checkouts and kanban save errors, for as long as the console runs.
    const keys = await simulatorKeys(db, { stable: true });
    const stopSimulator = new AbortController();
    const simulation = runSimulation({ url: `http://127.0.0.1:${PORT}`, checkoutKey: keys.checkout, kanbanKey: keys.kanban, durationMs: Infinity, signal: stopSimulator.signal, ...SIMULATOR })
      .catch((error: unknown) => log(`the background simulator stopped: ${(error as Error).message}`));
    stops.push(async () => {
      stopSimulator.abort();
      await Promise.race([simulation, new Promise((r) => setTimeout(r, 5_000))]);
    });
    // Refunds, a retried compensation and worked incidents, once the sagas they concern have ended.
    if (!localProviders) void db.$disconnect();
    else void settleDemoFinanceWhenEnded(db, { databaseUrl: pgHandle.url, sagas: sizes.sagas, clock: DEMO_CLOCK, timeoutMs: 10 * 60_000 })
      .then((c) => log(`demo finance follow-ups: ${c.done} done${c.waiting ? `, ${c.waiting} still waiting for their saga (the next start does them)` : ''}`))
      .catch((error: unknown) => log(`demo finance follow-ups failed: ${(error as Error).message}`))
      .finally(() => void db.$disconnect());
  } else {
    await db.$disconnect();
  }

  const loginLines = DEMO_STAFF.map((s) => `    ${s.email.padEnd(22)} ${Object.entries(s.roles).map(([t, r]) => `${t}:${r}`).join(', ')}`).join('\n');
  console.log(`
  Vigie is up in ${((Date.now() - started) / 1000).toFixed(1)} s
    console      http://localhost:${PORT}
    Temporal UI  ${temporalHandle ? `http://localhost:${DEV_TEMPORAL_UI_PORT}` : '(external Temporal, not started here)'}
    health       http://localhost:${PORT}/healthz
    logs         .cache/console.log, worker.log, demo.log, temporal.log (JSON lines; \`npx pino-pretty < .cache/worker.log\` to read)
${logins ? `  Demo logins (password: ${DEMO_PASSWORD})
${loginLines}
` : ''}${flags.demo ? `  Demo: trials on accelerated clocks, payment sagas, and a simulator of ${SIMULATOR.shoppers} shoppers and ${SIMULATOR.boards} board users
    running in the background (http://localhost:${PORT}/t/cartflow/checkouts). --reset-demo starts it over.
` : ''}  Ctrl-C stops everything started here.
`);
  for (const [child, name] of [[worker, 'worker'], [consoleProcess, 'console']] as const) {
    child.once('exit', (code) => {
      if (!stopping) {
        log(`the ${name} exited unexpectedly (code ${code}; its log: .cache/${name}.log); stopping the rest`);
        void shutdown(1);
      }
    });
  }
} catch (error) {
  console.error(`[vigie] could not start: ${(error as Error).message}`);
  await shutdown(1);
}
