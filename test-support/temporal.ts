// Helpers for the temporal/ integration tests: the real PostgreSQL and Temporal dev server
// of the vitest global setup, a worker on a task queue of the test file's own, small waits.
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createPrismaClient, type Db } from '../prisma/db';
import { createTemporalClient } from '../temporal/config';
import { startWorker, WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH, type RunningWorker } from '../temporal/worker';
import { emailIdempotencyKey, type DuréesOnboarding } from '../temporal/workflows/onboarding.contract';
import { uid } from './ids';

/**
 * The length of a test "day": J+1 at 2 s … J+14 at 28 s by default. Two seconds leave room for
 * a loaded machine; VIGIE_TEST_DAY_MS stretches it further on a slower one.
 */
export const DAY = Number(process.env.VIGIE_TEST_DAY_MS ?? 2_000);
export const TEST_DURÉES: DuréesOnboarding = { j1: DAY, j3: 3 * DAY, j7: 7 * DAY, j12: 12 * DAY, j14: 14 * DAY, jour: DAY };

export interface TestStack {
  db: Db;
  client: Client;
  taskQueue: string;
  worker: RunningWorker;
  close(): Promise<void>;
}

/** Bundles the workflows once and runs one in-process worker for the whole test file. */
export async function startTestStack(name: string): Promise<TestStack> {
  quietRuntime();
  const taskQueue = uid(`test-${name}`);
  const db = createPrismaClient(process.env.DATABASE_URL!);
  const client = await createTemporalClient();
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: quietBundlerLogger });
  const worker = await startWorker({ env: { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue }, workflowBundle });
  return {
    db,
    client,
    taskQueue,
    worker,
    async close() {
      await worker.shutdown();
      await client.connection.close();
      await db.$disconnect();
    },
  };
}

/** Keeps the SDK's lines about expected failures out of test output; each vitest file runs in its own process. */
export function quietRuntime() {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed by an earlier stack in this process.
  }
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};

/** Polls until `check` returns a value other than undefined/false, or fails with what it last saw. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}

/** Deliveries the local mailer made for a workflow: template → number of requests for it. */
/**
 * The messages the local mail provider delivered for one trial, counted per template: every
 * message to the trial's address or under its workflow's keys counts, so a doubled email shows as
 * 2 however its key was made, and a message whose key breaks the key rule is listed under
 * `<template> (key <key>)`, so an exact `toEqual` fails on it.
 */
export async function mailFor(db: Db, workflowId: string): Promise<Record<string, number>> {
  const account = await db.trialAccount.findUnique({ where: { workflowId }, select: { email: true } });
  const rows = await db.localMailMessage.findMany({
    where: { OR: [{ idempotencyKey: { startsWith: `${workflowId}:` } }, ...(account ? [{ recipient: account.email }] : [])] },
    orderBy: { createdAt: 'asc' },
  });
  const counts: Record<string, number> = {};
  for (const r of rows) {
    const template = r.template ?? '?';
    const name = r.idempotencyKey === emailIdempotencyKey(workflowId, template) ? template : `${template} (key ${r.idempotencyKey})`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** How many times the provider was asked for each template's message (1 unless a retry asked again). */
export async function mailRequestsFor(db: Db, workflowId: string): Promise<Record<string, number>> {
  const rows = await db.localMailMessage.findMany({ where: { idempotencyKey: { startsWith: `${workflowId}:` } } });
  return Object.fromEntries(rows.map((r) => [r.template ?? '?', r.requestCount]));
}

export async function historyOf(client: Client, workflowId: string) {
  return client.workflow.getHandle(workflowId).fetchHistory();
}
