// `npm run bench:workflows`: seed case 2's production claim, measured here. Starts its own
// Temporal dev server (in memory), its own migrated database and the worker IN ITS OWN PROCESS
// (`temporal/worker.ts`, production settings), starts BENCH_TRIALS (12 000) onboarding workflows
// with the production schedule, waits until every J+0 is done (a Stripe trial and a welcome
// email each: 2 activities per trial) and all sleep towards J+1, then measures the worker's
// memory and statutDetaillé latency. Stops and drops everything it started.
//
// Figures and what they are compared with:
// - starts/s: the bench's client starting workflows over BENCH_START_CONNECTIONS gRPC
//   connections, the worker polling in its own process (target ≥ 200/s);
// - J+0 done: against the floor the worker's activity cap sets (2 × trials ÷ 50/s), ≤ 1.2×;
// - worker RSS: the worker process's resident memory (/proc/<pid>/status) once all sleep, ≤ 1 GB;
// - statutDetaillé p95: the running worker (first pass: mostly replayed; second: cached), then
//   the cold pass — the first query of each workflow on a fresh worker with no cache, what
//   follows a deploy or a restart — each < 100 ms;
// - the dev server's own figures over the J+0 phase (CPU, error lines), since it is SQLite-backed
//   and can be the limit on 2 cores.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { createPrismaClient } from '../../prisma/db';
import {
  ensurePostgres, freePort, log, startTemporalDevServer, startWorkerProcess, stopProcess, waitForOutput,
  type PostgresHandle, type TemporalHandle,
} from '../lib/stack';
import { scratchDatabase } from '../lib/scratch-database';
import { loadTemporalEnv } from '../../temporal/config';
import { provisionTemporal } from '../../temporal/provision';
import { startOnboarding } from '../../temporal/starters';
import { onboardingWorkflowId, queryStatutDetaillé } from '../../temporal/workflows/onboarding.contract';
import { BenchReport } from './report';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 12_000);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 128);
const START_CONNECTIONS = Number(process.env.BENCH_START_CONNECTIONS ?? 4);
const QUERY_SAMPLE = Math.min(200, TRIALS);
const TENANT = 'bench';
const TASK_QUEUE = 'bench';
const ACTIVITY_CAP = 50; // the worker's WORKER_MAX_ACTIVITIES_PER_SECOND default
const TARGETS = { startsPerSecond: 200, p95Ms: 100, rssMb: 1024, jPlus0Ratio: 1.2 };
const ROOT = path.resolve(import.meta.dirname, '../..');

const report = new BenchReport('workflows', { trials: TRIALS, startConcurrency: START_CONCURRENCY, startConnections: START_CONNECTIONS });
const line = (label: string, value: string, verdict?: boolean) => console.log(`${label.padEnd(48)} ${value}${verdict === undefined ? '' : verdict ? '  ✓' : '  ✗ (target missed)'}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resident memory of one process, from the kernel (Linux), in MB. */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

/** CPU seconds a process has used so far (user + system), from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function measureQueries(client: Client, ids: string[]) {
  const times: number[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    await client.workflow.getHandle(id).query(queryStatutDetaillé);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)! };
}

/** Starts the worker in its own process; resolves with the pid of the node process that runs it. */
async function startWorker(env: Record<string, string | undefined>): Promise<{ child: ChildProcess; pid: number }> {
  const child = startWorkerProcess(env, { quiet: true });
  const stop = () => stopProcess(child);
  process.once('exit', () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } });
  let pid = 0;
  const onData = (chunk: Buffer) => { const m = /worker ready:.*pid (\d+)/.exec(chunk.toString()); if (m) pid = Number(m[1]); };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  await waitForOutput(child, /worker ready:.*pid \d+/, 'the worker', 120_000).catch(async (error: unknown) => { await stop(); throw error; });
  child.stdout?.off('data', onData);
  child.stderr?.off('data', onData);
  return { child, pid };
}

async function main() {
  if (!Number.isInteger(TRIALS) || TRIALS < 1) throw new Error('BENCH_TRIALS must be a positive integer');
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

  try {
    const pg: PostgresHandle = await ensurePostgres('postgres');
    cleanups.push(pg.stop);
    const database = await scratchDatabase(pg.url, 'vigie_bench');
    cleanups.push(database.drop);
    log(`database ${database.name} migrated`);

    const serverLog = path.join(ROOT, '.cache', 'bench-workflows-temporal.log');
    const temporal: TemporalHandle = await startTemporalDevServer({ port: await freePort(), namespace: 'vigie', quiet: true, logFile: serverLog });
    cleanups.push(temporal.stop);
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'vigie',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      PAYMENT_GATEWAY: 'local',
      MAILER: 'local',
      WORKER_MAX_ACTIVITIES_PER_SECOND: String(ACTIVITY_CAP),
    };
    await provisionTemporal(loadTemporalEnv(env as NodeJS.ProcessEnv));
    log(`temporal dev server on ${temporal.address} (in memory)`);

    let worker = await startWorker(env);
    cleanups.push(() => stopProcess(worker.child));
    log(`worker ready in its own process (pid ${worker.pid})`);

    const connections = await Promise.all(Array.from({ length: START_CONNECTIONS }, () => Connection.connect({ address: temporal.address })));
    cleanups.push(() => Promise.all(connections.map((c) => c.close())));
    const clients = connections.map((connection) => new Client({ connection, namespace: 'vigie' }));
    const db = createPrismaClient(database.url, { max: 2 });
    cleanups.push(() => db.$disconnect());

    log(`starting ${TRIALS} onboarding workflows (production schedule), ${START_CONCURRENCY} in flight over ${START_CONNECTIONS} connections…`);
    const serverPid = temporal.process?.pid;
    const serverCpu0 = serverPid ? cpuSeconds(serverPid) : 0;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: START_CONCURRENCY }, async (_, lane) => {
        const client = clients[lane % clients.length]!;
        while (next < TRIALS) {
          const i = next++;
          await startOnboarding(client, { tenantId: TENANT, utilisateurId: `bench-${i}`, email: `bench-${i}@example.test`, prénom: 'Bench', planEssaiId: 'essai-14j' }, { taskQueue: TASK_QUEUE });
        }
      }),
    );
    const startSeconds = (performance.now() - t0) / 1000;
    const startsPerSecond = TRIALS / startSeconds;

    log('waiting until every trial has had its J+0 (Stripe trial + welcome email)…');
    let lastLog = 0;
    let peakRss = 0;
    for (;;) {
      const sent = await db.emailDelivery.count({ where: { tenantId: TENANT, template: 'bienvenue-trial', status: 'sent' } });
      peakRss = Math.max(peakRss, rssMb(worker.pid));
      if (sent === TRIALS) break;
      if (performance.now() - lastLog > 15_000) {
        log(`  ${sent}/${TRIALS} welcome emails sent, worker RSS ${rssMb(worker.pid).toFixed(0)} MB`);
        lastLog = performance.now();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const jPlus0Seconds = (performance.now() - t0) / 1000;
    const serverCpu = serverPid ? cpuSeconds(serverPid) - serverCpu0 : NaN;
    const floorSeconds = (2 * TRIALS) / ACTIVITY_CAP;
    // The last workflow tasks (the timers to J+1) follow the last email; poll until the worker's
    // memory stops moving, then read it.
    let rss = rssMb(worker.pid);
    for (let stable = 0; stable < 3;) {
      await new Promise((r) => setTimeout(r, 1_000));
      const now = rssMb(worker.pid);
      stable = Math.abs(now - rss) < 5 ? stable + 1 : 0;
      rss = now;
    }
    peakRss = Math.max(peakRss, rss);
    const serverErrors = readFileSync(serverLog, 'utf8').split('\n').filter((l) => /"level":"error"|\berror\b/i.test(l));
    const canceled = serverErrors.filter((l) => /context canceled/.test(l)).length;

    const step = Math.max(1, Math.floor(TRIALS / QUERY_SAMPLE));
    const sample = Array.from({ length: QUERY_SAMPLE }, (_, k) => onboardingWorkflowId(`bench-${k * step}`));
    const firstPass = await measureQueries(clients[0]!, sample);
    const warm = await measureQueries(clients[0]!, sample);

    await stopProcess(worker.child, 30_000);
    worker = await startWorker({ ...env, WORKER_MAX_CACHED_WORKFLOWS: '0' });
    const cold = await measureQueries(clients[0]!, sample);

    console.log('');
    console.log(`— bench:workflows — ${TRIALS} onboarding trials, production schedule (J+1 … J+14), the worker in its own process`);
    line('starts', `${TRIALS} in ${startSeconds.toFixed(1)} s = ${startsPerSecond.toFixed(0)} starts/s`, startsPerSecond >= TARGETS.startsPerSecond);
    report.figure('workflow starts (worker in its own process)', startsPerSecond, 'starts/s', { kind: 'min', limit: TARGETS.startsPerSecond });
    line('J+0 done for all (2 activities each)', `${jPlus0Seconds.toFixed(1)} s vs floor ${floorSeconds.toFixed(0)} s at ${ACTIVITY_CAP} activities/s: ${(jPlus0Seconds / floorSeconds).toFixed(2)}×`, jPlus0Seconds / floorSeconds <= TARGETS.jPlus0Ratio);
    report.ratio(`J+0 of ${TRIALS} sign-ups vs the ${ACTIVITY_CAP}/s activity-cap floor`, jPlus0Seconds, floorSeconds, 's', { kind: 'max', limit: TARGETS.jPlus0Ratio });
    line('dev server during starts + J+0', `${serverCpu.toFixed(0)} CPU-s over ${jPlus0Seconds.toFixed(0)} s (${((serverCpu / jPlus0Seconds) * 100).toFixed(0)} % of one core), ${serverErrors.length} error lines (${canceled} "context canceled")`);
    report.figure('dev server CPU during starts + J+0', (serverCpu / jPlus0Seconds) * 100, '% of a core', undefined, `${serverErrors.length} error lines, ${canceled} context canceled`);
    line('worker process RSS, all asleep', `${rss.toFixed(0)} MB (peak while working ${peakRss.toFixed(0)} MB)`, rss <= TARGETS.rssMb);
    report.figure('worker RSS, all trials asleep', rss, 'MB', { kind: 'max', limit: TARGETS.rssMb });
    report.figure('worker RSS, peak during J+0', peakRss, 'MB');
    const figures = (q: typeof warm) => `p50 ${q.p50.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms, max ${q.max.toFixed(1)} ms`;
    line(`statutDetaillé, running worker, 1st pass (n=${QUERY_SAMPLE})`, `${figures(firstPass)} (mostly not cached: replayed)`, firstPass.p95 < TARGETS.p95Ms);
    report.figure('statutDetaillé p95, running worker, first pass', firstPass.p95, 'ms', { kind: 'max', limit: TARGETS.p95Ms });
    line(`statutDetaillé, running worker, cache warm (n=${QUERY_SAMPLE})`, figures(warm), warm.p95 < TARGETS.p95Ms);
    report.figure('statutDetaillé p95, cache warm', warm.p95, 'ms', { kind: 'max', limit: TARGETS.p95Ms });
    line(`statutDetaillé, cold pass: fresh worker, no cache`, figures(cold), cold.p95 < TARGETS.p95Ms);
    report.figure('statutDetaillé p95, cold pass (fresh worker, no cache)', cold.p95, 'ms', { kind: 'max', limit: TARGETS.p95Ms });
    console.log('(cold pass: a new worker process with WORKER_MAX_CACHED_WORKFLOWS=0, so each query replays its workflow first — what follows a deploy or a restart)');
    console.log(`(load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs; the figures move with it; dev server log: ${path.relative(ROOT, serverLog)})`);
    console.log('');
    report.save();
  } finally {
    await cleanUp();
  }
}

await main();
