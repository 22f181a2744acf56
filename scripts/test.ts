// `npm test`: every test against real services. Typecheck and lint, then the unit and
// integration tests (vitest), then the end-to-end tests (Playwright in Debian's Chromium)
// against a built console and a real worker. It starts its own Temporal dev server and
// database on free ports and removes everything it started, pass or fail.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { provisionTemporal } from '../temporal/provision';
import { loadTemporalEnv } from '../temporal/config';
import {
  ROOT, buildConsoleIfStale, ensurePostgres, freePort, log, startConsole, startTemporalDevServer,
  startWorkerProcess, stopProcess, waitForHttp, waitForOutput, type Env,
} from './lib/stack';
import { scratchDatabase } from './lib/scratch-database';
import { createPrismaClient } from '../prisma/db';
import { runLocalWebhookForwarder } from '../ports/local-webhook-forwarder';

const CACHE = path.join(ROOT, '.cache');
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
const only = process.argv[2]; // optional: "unit" or "e2e"
const extraArgs = process.argv.slice(3); // passed on to vitest or playwright, e.g. a file filter
const stops: Array<() => Promise<void>> = [];
const tally = { passed: 0, failed: 0, skipped: 0, brokenFiles: 0 };
let failedStep: string | null = null;

function run(name: string, command: string, args: string[], env: Env = {}): Promise<number> {
  log(`— ${name}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function countVitest(file: string) {
  if (!existsSync(file)) return false;
  const r = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number };
  tally.passed += r.numPassedTests;
  tally.failed += r.numFailedTests;
  tally.skipped += r.numPendingTests + r.numTodoTests;
  // A file that failed to load (or whose beforeAll threw) runs none of its tests: that is a failure too.
  tally.brokenFiles += r.numFailedTestSuites;
  return true;
}

function countPlaywright(file: string) {
  if (!existsSync(file)) return false;
  const r = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: unknown[] };
  tally.passed += r.stats.expected + r.stats.flaky;
  tally.failed += r.stats.unexpected;
  tally.skipped += r.stats.skipped;
  tally.brokenFiles += r.errors?.length ?? 0;
  return true;
}

async function main() {
  mkdirSync(CACHE, { recursive: true });
  for (const f of ['vitest.json', 'playwright.json']) rmSync(path.join(CACHE, f), { force: true });

  if (!only) {
    if ((await run('typecheck', bin('tsc'), ['--noEmit'])) !== 0) { failedStep = 'typecheck'; return; }
    if ((await run('lint', bin('eslint'), ['.', '--max-warnings=0'])) !== 0) { failedStep = 'lint'; return; }
  }

  const pgHandle = await ensurePostgres('postgres');
  stops.push(pgHandle.stop);
  const { url: databaseUrl, drop } = await scratchDatabase(pgHandle.url, 'vigie_test');
  stops.push(drop);

  const namespace = 'vigie';
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace });
  stops.push(temporal.stop);
  const env: Env = {
    VIGIE_TEST_STACK: '1',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: `vigie-test-${process.pid}`,
  };
  Object.assign(process.env, env);
  await provisionTemporal(loadTemporalEnv());

  if (only !== 'e2e') {
    const code = await run('unit and integration tests (vitest)', bin('vitest'), [
      'run', ...extraArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(CACHE, 'vitest.json')}`,
    ], env);
    if (!countVitest(path.join(CACHE, 'vitest.json')) || code !== 0) failedStep ??= 'vitest';
  }

  if (only !== 'unit') {
    if (buildConsoleIfStale()) log('console built');
    const port = await freePort();
    // The local stand-ins for Stripe and Resend: tests make them fail on purpose through PostgreSQL.
    const consoleEnv = {
      ...env, PORT: String(port), NODE_ENV: 'production', PUBLIC_URL: `http://localhost:${port}`, PAYMENT_GATEWAY: 'local', MAILER: 'local',
      STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('hex')}`,
    };
    const worker = startWorkerProcess(consoleEnv, { quiet: true });
    stops.push(() => stopProcess(worker));
    const workerReady = waitForOutput(worker, /worker ready/, 'the worker');
    const consoleProcess = startConsole(consoleEnv, { quiet: true });
    stops.push(() => stopProcess(consoleProcess));
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, consoleProcess);
    await workerReady;
    // The local stand-in's webhooks to the console, as under `npm start`: what the worker's sagas make reaches the provider mirror.
    const forwarderDb = createPrismaClient(databaseUrl, { max: 2 });
    const stopForwarder = new AbortController();
    const forwarding = runLocalWebhookForwarder(forwarderDb, `http://127.0.0.1:${port}/api/v1/stripe-webhooks`, consoleEnv.STRIPE_WEBHOOK_SECRET, stopForwarder.signal);
    stops.push(async () => {
      stopForwarder.abort();
      await forwarding;
      await forwarderDb.$disconnect();
    });
    const code = await run('end-to-end tests (Playwright, Debian Chromium)', bin('playwright'), ['test', ...extraArgs], {
      ...consoleEnv,
      BASE_URL: `http://localhost:${port}`,
      PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(CACHE, 'playwright.json'),
    });
    if (!countPlaywright(path.join(CACHE, 'playwright.json')) || code !== 0) failedStep ??= 'playwright';
  }
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(error);
  failedStep ??= 'setup';
  for (const name of ['console', 'worker']) {
    const file = path.join(CACHE, `${name}.log`);
    if (existsSync(file)) console.error(`--- last lines of .cache/${name}.log ---\n${readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')}`);
  }
} finally {
  for (const stop of stops.reverse()) await stop().catch((e) => console.error('cleanup failed:', e));
}
// A skipped test or a file that never ran proves nothing: the run is not green.
if (!failedStep && tally.skipped > 0) failedStep = `${tally.skipped} skipped test(s)`;
if (!failedStep && tally.brokenFiles > 0) failedStep = `${tally.brokenFiles} test file(s) failed to load or set up`;
if (failedStep) exitCode = 1;
console.log(`\n${failedStep ? `failed at: ${failedStep}\n` : ''}${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(exitCode);

