// The Temporal worker, its own process (`npm run worker`, i.e. `tsx temporal/worker.ts`):
// both workflows on one task queue, activities built on the ports the environment selects.
// Tests and the bench start it in-process with startWorker().
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GracefulShutdownPeriodExpiredError, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createLogger } from '../ops/log/logger.js';
import { requestIdActivityInterceptor } from './request-id';
import { PinoSdkLogger } from './worker-logger';
import { z } from 'zod';
import { createPrismaClient } from '../prisma/db';
import { createActivities, type ActivityDeps } from './activities';
import { bundleWorkflowsApart, WORKFLOW_INTERCEPTOR_MODULES } from './bundle';
import { connectionOptions, EnvError, parseEnv, temporalEnvSchema } from './config';
import { mailerEnvShape, paymentEnvShape, portsFromEnv, refineMailerEnv, refinePaymentEnv } from '../ports/from-env';

export { WORKFLOWS_PATH, WORKFLOW_INTERCEPTOR_MODULES } from './bundle';

const limit = (fallback: number, min: number) => z.coerce.number().int().min(min).default(fallback);

export const workerEnvSchema = temporalEnvSchema
  .extend({
    DATABASE_URL: z.string({ required_error: 'required: the PostgreSQL URL of Vigie' }).regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
    ...paymentEnvShape,
    ...mailerEnvShape,
    // 50 activities/s is Resend's rate limit. Workflow tasks run one at a time on the worker's one
    // workflow thread: 100 slots (the seed had 500) keep a queue of them ready without holding 500
    // activations and their replays in memory at once on 2 cores (bench:workflows, docs/performance.md).
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: limit(100, 2),
    WORKER_MAX_CONCURRENT_ACTIVITIES: limit(100, 1),
    WORKER_MAX_ACTIVITIES_PER_SECOND: z.coerce.number().positive().default(50),
    // About 0.25 MB per cached workflow over a ~540 MB base here (bench:workflows, worker in its own process,
    // 3,000 trials: cache 2,000 → 1,015 MB, cache 1,000 → 820 MB): 1,000 keep the worker under 1 GB; a
    // sleeping trial that is not cached is replayed from its short history when its timer fires or it is queried.
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1_000),
    // host:port for the SDK's Prometheus exporter (e.g. 127.0.0.1:9464); unset: no metrics endpoint.
    WORKER_METRICS_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:9464').optional(),
    // On SIGTERM: running activities get WORKER_SHUTDOWN_GRACE_MS to finish before they are cancelled,
    // and the whole drain is cut at WORKER_SHUTDOWN_FORCE_MS (an open long poll can otherwise hold the
    // process for a minute). What a forced stop leaves running times out on the server and is retried by
    // another worker with the same idempotency keys. 25 s fits Kubernetes' default 30 s grace period.
    WORKER_SHUTDOWN_GRACE_MS: limit(10_000, 0),
    WORKER_SHUTDOWN_FORCE_MS: limit(25_000, 1_000),
  })
  .superRefine((env, ctx) => {
    refinePaymentEnv(env, ctx);
    refineMailerEnv(env, ctx);
  })
  .transform((env) => ({ ...env, PAYMENT_GATEWAY: env.PAYMENT_GATEWAY ?? 'local', MAILER: env.MAILER ?? 'local' }));

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** Environment variables as plain strings (NodeJS.ProcessEnv is narrowed by Remix's globals). */
export type EnvSource = Record<string, string | undefined>;

export function loadWorkerEnv(source: EnvSource = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, source as NodeJS.ProcessEnv);
}

export interface StartWorkerOptions {
  /** Environment to read (default process.env); parsed with workerEnvSchema. */
  env?: EnvSource;
  /** A bundle from bundleWorkflowCode, so tests bundle once per file. */
  workflowBundle?: { code: string };
  /** Replace some ports (a test's own gateway…); the rest follow the environment. */
  deps?: Partial<ActivityDeps>;
  /** Overrides WORKER_MAX_CACHED_WORKFLOWS. */
  maxCachedWorkflows?: number;
  identity?: string;
}

export interface RunningWorker {
  worker: Worker;
  env: WorkerEnv;
  deps: ActivityDeps;
  /** Settles when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/** Creates the worker, starts polling, and resolves once it runs. */
export async function startWorker(options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const env = loadWorkerEnv(options.env);
  const ownDb = !options.deps?.db;
  const db = options.deps?.db ?? createPrismaClient(env.DATABASE_URL, { max: Math.min(env.WORKER_MAX_CONCURRENT_ACTIVITIES, 20) });
  const deps: ActivityDeps = { db, ...portsFromEnv(env, db), ...options.deps };
  const connection = await NativeConnection.connect(connectionOptions(env));
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      ...(options.identity ? { identity: options.identity } : {}),
      // Bundled in a child process unless given: webpack's memory never enters the worker.
      workflowBundle: options.workflowBundle ?? (await bundleWorkflowsApart()),
      activities: createActivities(deps),
      interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES, activity: [requestIdActivityInterceptor] },
      maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxActivitiesPerSecond: env.WORKER_MAX_ACTIVITIES_PER_SECOND,
      maxCachedWorkflows: options.maxCachedWorkflows ?? env.WORKER_MAX_CACHED_WORKFLOWS,
      shutdownGraceTime: env.WORKER_SHUTDOWN_GRACE_MS,
      shutdownForceTime: Math.max(env.WORKER_SHUTDOWN_FORCE_MS, env.WORKER_SHUTDOWN_GRACE_MS + 1_000),
    });
  } catch (error) {
    await connection.close();
    if (ownDb) await db.$disconnect();
    throw error;
  }
  const done = worker.run().finally(async () => {
    await connection.close().catch(() => {});
    if (ownDb) await db.$disconnect().catch(() => {});
  });
  while (worker.getState() === 'INITIALIZED') await new Promise((r) => setTimeout(r, 20));
  if (worker.getState() !== 'RUNNING') await done;
  return {
    worker,
    env,
    deps,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      // A drain cut at WORKER_SHUTDOWN_FORCE_MS is still a stop: what ran is retried elsewhere.
      await done.catch((error: unknown) => {
        if (!(error instanceof GracefulShutdownPeriodExpiredError)) throw error;
      });
    },
  };
}

async function main() {
  let env: WorkerEnv;
  try {
    env = loadWorkerEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`worker: ${error.message}`);
    process.exit(1);
  }
  const log = createLogger('worker');
  Runtime.install({
    logger: new PinoSdkLogger(log),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    // The SDK's own metrics (task latencies, pollers, slots, activity outcomes) in Prometheus
    // format, served by the SDK's runtime on its own port: scraped beside the console's /metrics.
    ...(env.WORKER_METRICS_ADDRESS ? { telemetryOptions: { metrics: { prometheus: { bindAddress: env.WORKER_METRICS_ADDRESS } } } } : {}),
  });
  // The runtime stops listening after the first signal; a second one (a process group signalled
  // while `tsx` also relays it, an impatient Ctrl-C) would then kill the process mid-drain, before
  // it says it stopped. These listeners outlive the runtime's: the drain is bounded by WORKER_SHUTDOWN_FORCE_MS.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => log.info({ signal }, 'worker draining: finishing what runs, taking nothing new'));
  }
  const running = await startWorker({ env: process.env });
  log.info(
    { namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE, payments: env.PAYMENT_GATEWAY, mailer: env.MAILER, pid: process.pid },
    `worker ready: namespace ${env.TEMPORAL_NAMESPACE}, task queue ${env.TEMPORAL_TASK_QUEUE}, payments ${env.PAYMENT_GATEWAY}, mailer ${env.MAILER}, pid ${process.pid}`,
  );
  try {
    await running.done;
    log.info({}, 'worker stopped');
  } catch (error) {
    if (!(error instanceof GracefulShutdownPeriodExpiredError)) throw error;
    log.info({ forcedAfterMs: env.WORKER_SHUTDOWN_FORCE_MS }, 'worker stopped: the drain was cut; what was still running is retried by another worker');
    process.exit(0);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
