// `npm start`: the whole console with demo data on this machine. Run twice, it reuses
// the database, the Temporal state and the build, and starts in seconds.
import path from 'node:path';
import { ensureDatabase, migrate } from '../prisma/migrate';
import { createPrismaClient } from '../prisma/db';
import { seedCore } from '../prisma/seed';
import { DEMO_PASSWORD, DEMO_STAFF } from '../prisma/demo-data';
import { provisionTemporal } from '../temporal/provision';
import { createTemporalClient, loadTemporalEnv } from '../temporal/config';
import { seedDemoWorkflows } from './lib/demo-workflows';
import { seedDemoFinance, seedDemoFinanceWorkflows } from './lib/demo-finance';
import { LocalPaymentGateway } from '../ports/local-gateway';
import {
  DATA_DIR, buildConsoleIfStale, ensurePostgres, log, portOpen, redact, startConsole, startTemporalDevServer,
  startWorkerProcess, stopProcess, waitForHttp, waitForOutput, type Env, type TemporalHandle,
} from './lib/stack';

const PORT = Number(process.env.PORT ?? 3000);
const TEMPORAL_PORT = 7233;
const TEMPORAL_UI_PORT = 8233;

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
  await seedCore(db);
  // Finance demo data (every reconciliation mismatch kind) lives in the local payment stand-in.
  const localPayments = (process.env.PAYMENT_GATEWAY ?? 'local') === 'local';
  if (localPayments) await seedDemoFinance(db, new LocalPaymentGateway(db));

  let temporalHandle: TemporalHandle | null = null;
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    temporalAddress = `127.0.0.1:${TEMPORAL_PORT}`;
    if (await portOpen(TEMPORAL_PORT)) {
      log(`reusing the Temporal server already listening on ${temporalAddress}`);
    } else {
      temporalHandle = await startTemporalDevServer({
        port: TEMPORAL_PORT,
        uiPort: TEMPORAL_UI_PORT,
        dbFile: path.join(DATA_DIR, 'temporal.db'),
        namespace: process.env.TEMPORAL_NAMESPACE ?? 'vigie',
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
  };
  Object.assign(process.env, env);
  const provisioned = await provisionTemporal(loadTemporalEnv());
  if (provisioned.addedSearchAttributes.length) log(`search attributes added: ${provisioned.addedSearchAttributes.join(', ')}`);

  if (buildConsoleIfStale()) log('console built');
  const worker = startWorkerProcess(env);
  stops.push(() => stopProcess(worker));
  const workerReady = waitForOutput(worker, /worker ready/, 'the worker');
  const consoleProcess = startConsole(env);
  stops.push(() => stopProcess(consoleProcess));
  await waitForHttp(`http://127.0.0.1:${PORT}/healthz`, 60_000, consoleProcess);
  await workerReady;
  const seeded = await seedDemoWorkflows();
  if (localPayments) {
    const client = await createTemporalClient(loadTemporalEnv());
    try { await seedDemoFinanceWorkflows(db, client); } finally { await client.connection.close(); }
  }
  await db.$disconnect();
  log(`demo workflows in place: ${seeded.trials} trials (DataSync), ${seeded.sagas} payment sagas (CraftMarket)`);

  const logins = DEMO_STAFF.map((s) => `    ${s.email.padEnd(22)} ${Object.entries(s.roles).map(([t, r]) => `${t}:${r}`).join(', ')}`).join('\n');
  console.log(`
  Vigie is up in ${((Date.now() - started) / 1000).toFixed(1)} s
    console      http://localhost:${PORT}
    Temporal UI  ${temporalHandle ? `http://localhost:${TEMPORAL_UI_PORT}` : '(external Temporal, not started here)'}
    health       http://localhost:${PORT}/healthz
  Demo logins (password: ${DEMO_PASSWORD})
${logins}
  Ctrl-C stops everything started here.
`);
  for (const child of [worker, consoleProcess]) {
    child.once('exit', (code) => {
      if (!stopping) {
        log(`a process exited unexpectedly (code ${code}); stopping the rest`);
        void shutdown(1);
      }
    });
  }
} catch (error) {
  console.error(`[vigie] could not start: ${(error as Error).message}`);
  await shutdown(1);
}
