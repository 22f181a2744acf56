// `npm run bench:workflows`: seed case 2's production claim, measured here. Starts its own
// Temporal dev server (in memory) and its own migrated database, runs the worker in this
// process with the production settings, starts BENCH_TRIALS (12 000) onboarding workflows with
// the production schedule, waits until they all sleep towards J+1, then measures memory and
// statutDetaillé latency. Stops and drops everything it started.
//
// Query latency is measured three ways on one sample: first on the running worker, whose
// sticky cache (WORKER_MAX_CACHED_WORKFLOWS, 2 000) holds only the most recent trials, so most
// of the sample must be replayed; then the same sample again, now in the cache (warm); then on
// a fresh worker with maxCachedWorkflows 0, where every query replays the history first (a
// worker just deployed or restarted).
import { cpus, loadavg } from 'node:os';
import { createPrismaClient } from '../../prisma/db';
import { ensurePostgres, freePort, log, startTemporalDevServer, type PostgresHandle, type TemporalHandle } from '../lib/stack';
import { scratchDatabase } from '../lib/scratch-database';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createTemporalClient, loadTemporalEnv } from '../../temporal/config';
import { provisionTemporal } from '../../temporal/provision';
import { startOnboarding } from '../../temporal/starters';
import { startWorker, type RunningWorker } from '../../temporal/worker';
import { onboardingWorkflowId, queryStatutDetaillé } from '../../temporal/workflows/onboarding.contract';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 12_000);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 64);
const QUERY_SAMPLE = 200;
const TENANT = 'bench';
const TASK_QUEUE = 'bench';
const TARGETS = { startsPerSecond: 200, p95Ms: 100, rssBytes: 1.5 * 1024 ** 3 };

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const line = (label: string, value: string, verdict?: boolean) => console.log(`${label.padEnd(44)} ${value}${verdict === undefined ? '' : verdict ? '  ✓' : '  ✗ (target missed)'}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
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

async function main() {
  if (!Number.isInteger(TRIALS) || TRIALS < QUERY_SAMPLE) throw new Error(`BENCH_TRIALS must be an integer ≥ ${QUERY_SAMPLE}`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

  try {
    const pg: PostgresHandle = await ensurePostgres('postgres');
    cleanups.push(pg.stop);
    const database = await scratchDatabase(pg.url, 'vigie_bench');
    const databaseUrl = database.url;
    cleanups.push(database.drop);
    log(`database ${database.name} migrated`);

    const temporal: TemporalHandle = await startTemporalDevServer({ port: await freePort(), namespace: 'vigie' });
    cleanups.push(temporal.stop);
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'vigie',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      PAYMENT_GATEWAY: 'local',
      MAILER: 'local',
    };
    await provisionTemporal(loadTemporalEnv(env as NodeJS.ProcessEnv));
    log(`temporal dev server on ${temporal.address} (in memory)`);

    let worker: RunningWorker = await startWorker({ env });
    cleanups.push(() => worker.shutdown());
    const client = await createTemporalClient(loadTemporalEnv(env as NodeJS.ProcessEnv));
    cleanups.push(() => client.connection.close());
    const db = createPrismaClient(databaseUrl, { max: 4 });
    cleanups.push(() => db.$disconnect());
    log(
      `worker ready: ${worker.env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS} workflow tasks, ${worker.env.WORKER_MAX_CONCURRENT_ACTIVITIES} activities, ` +
        `${worker.env.WORKER_MAX_ACTIVITIES_PER_SECOND} activities/s, cache ${worker.env.WORKER_MAX_CACHED_WORKFLOWS} workflows`,
    );

    log(`starting ${TRIALS} onboarding workflows (production schedule), ${START_CONCURRENCY} starts in flight…`);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: START_CONCURRENCY }, async () => {
        while (next < TRIALS) {
          const i = next++;
          await startOnboarding(client, { tenantId: TENANT, utilisateurId: `bench-${i}`, email: `bench-${i}@example.test`, prénom: 'Bench', planEssaiId: 'essai-14j' }, { taskQueue: TASK_QUEUE });
        }
      }),
    );
    const startSeconds = (performance.now() - t0) / 1000;
    const startsPerSecond = TRIALS / startSeconds;

    log('waiting until every trial has had its J+0 (Stripe trial + welcome email) and sleeps towards J+1…');
    let lastLog = 0;
    for (;;) {
      const sent = await db.emailDelivery.count({ where: { tenantId: TENANT, template: 'bienvenue-trial', status: 'sent' } });
      const status = worker.worker.getStatus();
      if (sent === TRIALS && status.numInFlightWorkflowActivations === 0 && status.numInFlightActivities === 0) break;
      if (performance.now() - lastLog > 15_000) {
        log(`  ${sent}/${TRIALS} welcome emails sent, ${status.numCachedWorkflows} workflows cached`);
        lastLog = performance.now();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const asleepSeconds = (performance.now() - t0) / 1000;
    // Let the last workflow tasks (the J+1 timers) complete before measuring.
    await new Promise((r) => setTimeout(r, 3_000));
    const memory = process.memoryUsage();
    const cached = worker.worker.getStatus().numCachedWorkflows;

    const step = Math.floor(TRIALS / QUERY_SAMPLE);
    const sample = Array.from({ length: QUERY_SAMPLE }, (_, k) => onboardingWorkflowId(`bench-${k * step}`));
    const firstPass = await measureQueries(client, sample);
    const warm = await measureQueries(client, sample);

    await worker.shutdown();
    worker = await startWorker({ env, maxCachedWorkflows: 0 });
    const cold = await measureQueries(client, sample);

    console.log('');
    console.log(`— bench:workflows — ${TRIALS} onboarding trials, production schedule (J+1 … J+14), one in-process worker`);
    line('starts', `${TRIALS} in ${startSeconds.toFixed(1)} s = ${startsPerSecond.toFixed(0)} starts/s`, startsPerSecond >= TARGETS.startsPerSecond);
    line('all asleep (J+0 done, timer to J+1 set)', `${asleepSeconds.toFixed(1)} s after the first start (activities capped at ${worker.env.WORKER_MAX_ACTIVITIES_PER_SECOND}/s)`);
    line('worker process RSS (worker + client)', mb(memory.rss), memory.rss < TARGETS.rssBytes);
    line('main-thread heap used / total', `${mb(memory.heapUsed)} / ${mb(memory.heapTotal)} (workflow thread heap is in RSS)`);
    line('workflows in the sticky cache', String(cached));
    const figures = (q: typeof warm) => `p50 ${q.p50.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms, max ${q.max.toFixed(1)} ms`;
    line(`statutDetaillé, running worker, 1st pass (n=${QUERY_SAMPLE})`, `${figures(firstPass)} (mostly not cached: replayed)`);
    line(`statutDetaillé, running worker, cache warm (n=${QUERY_SAMPLE})`, figures(warm), warm.p95 < TARGETS.p95Ms);
    line(`statutDetaillé, fresh worker, no cache (n=${QUERY_SAMPLE})`, figures(cold), cold.p95 < TARGETS.p95Ms);
    console.log('(no cache: maxCachedWorkflows 0, so every query replays the workflow history first — what follows a deploy or a restart)');
    console.log(`(load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs; the figures move with it)`);
    console.log('');
  } finally {
    await cleanUp();
  }
}

await main();
