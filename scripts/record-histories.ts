// `npm run record:histories`: runs every workflow path that matters once, on its own database and
// Temporal dev server, and writes each history as JSON to temporal/workflows/histories/. Every
// `npm test` replays them (temporal/workflows/replay.test.ts), so a workflow change that would
// break workflows already running in production fails the suite. Record again only for a change
// that is meant to be incompatible — and then ship it behind `patched()` so running workflows
// keep their old path (Temporal's versioning); say so in the commit.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import protoPkg from '@temporalio/proto';
import { createPrismaClient } from '../prisma/db';
import { migrate } from '../prisma/migrate';
import { injectFault, type FaultSpec } from '../ports/faults';
import { createTemporalClient, loadTemporalEnv } from '../temporal/config';
import { provisionTemporal } from '../temporal/provision';
import { startOnboarding, startPaymentSaga } from '../temporal/starters';
import { startWorker, WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../temporal/worker';
import {
  ONBOARDING_WORKFLOW_TYPE,
  onboardingWorkflowId,
  signalAbonnementSouscrit,
  signalFonctionnalitéActivée,
  signalOnboardingComplété,
  type DuréesOnboarding,
} from '../temporal/workflows/onboarding.contract';
import { uid } from '../test-support/ids';
import { scratchDatabase } from './lib/scratch-database';
import { ensurePostgres, freePort, log, ROOT, startTemporalDevServer } from './lib/stack';

export const HISTORIES_DIR = path.join(ROOT, 'temporal/workflows/histories');
const DAY = 400;
const DURÉES: DuréesOnboarding = { j1: DAY, j3: 3 * DAY, j7: 7 * DAY, j12: 12 * DAY, j14: 14 * DAY, jour: DAY };
const TENANT = 'replay';

type Scenario = { name: string; run: (client: Client, taskQueue: string) => Promise<WorkflowHandle> };

const onboarding = (name: string, before: (h: WorkflowHandle, userId: string) => Promise<void> = async () => {}, faults: (userId: string) => FaultSpec[] = () => []): Scenario => ({
  name: `onboarding-${name}`,
  async run(client, taskQueue) {
    const userId = uid('u');
    for (const f of faults(userId)) await injectFault(db, f);
    const h = await startOnboarding(client, { tenantId: TENANT, utilisateurId: userId, email: `${userId}@example.test`, prénom: 'Replay', planEssaiId: 'trial-14j', durées: DURÉES }, { taskQueue });
    await before(h, userId);
    return h;
  },
});

const saga = (name: string, faults: Array<Omit<FaultSpec, 'target'>>): Scenario => ({
  name: `payment-${name}`,
  async run(client, taskQueue) {
    const commandeId = uid('CMR');
    for (const f of faults) await injectFault(db, { ...f, target: commandeId });
    return startPaymentSaga(client, { tenantId: TENANT, commandeId, acheteurId: uid('acheteur'), vendeurId: uid('vendeur'), montantTotal: 18_000 }, { taskQueue });
  },
});

export const SCENARIOS: Scenario[] = [
  onboarding('expired'),
  onboarding('converted-in-inscription', (h) => h.signal(signalAbonnementSouscrit, { planId: 'pro-mensuel', montant: 4_900 })),
  onboarding('activated-then-converted', async (h) => {
    await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'import-csv' });
    await new Promise((r) => setTimeout(r, 4 * DAY));
    await h.signal(signalAbonnementSouscrit, { planId: 'pro-annuel', montant: 49_000 });
  }),
  onboarding('completed-early', (h) => h.signal(signalOnboardingComplété)),
  onboarding('welcome-email-refused', undefined, (userId) => [{ operation: 'mail.send', mode: 'reject', target: `${userId}@example.test` }]),
  {
    name: 'onboarding-signal-before-first-step',
    async run(client, taskQueue) {
      const userId = uid('u');
      return client.workflow.signalWithStart(ONBOARDING_WORKFLOW_TYPE, {
        workflowId: onboardingWorkflowId(userId),
        taskQueue,
        args: [{ tenantId: TENANT, utilisateurId: userId, email: `${userId}@example.test`, prénom: 'Replay', planEssaiId: 'trial-14j', durées: DURÉES }],
        signal: signalFonctionnalitéActivée,
        signalArgs: [{ fonctionnalité: 'sync-hubspot' }],
      });
    },
  },
  saga('succeeded', []),
  saga('charge-declined', [{ operation: 'charge', mode: 'decline' }]),
  saga('seller-account-invalid', [{ operation: 'transfer', mode: 'invalid_account' }]),
  saga('insurance-refused', [{ operation: 'bill_insurance', mode: 'reject' }]),
  saga('provider-timeout-then-success', [{ operation: 'transfer', mode: 'timeout', times: 1 }]),
  saga('compensation-failing', [{ operation: 'transfer', mode: 'invalid_account' }, { operation: 'refund', mode: 'reject', times: 1 }]),
];

let db: ReturnType<typeof createPrismaClient>;

/**
 * protobufjs writes google.protobuf Timestamp and Duration as {seconds, nanos}; proto3 JSON — what
 * the Temporal CLI writes and Worker.runReplayHistory reads — wants "2026-…Z" and "1.5s".
 */
function canonical(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  // A zero Duration or Timestamp comes out as {} (proto3 omits zeros).
  const timeLike = /(Time|Timeout|Interval|Backoff|Duration|Delay)$/.test(key);
  if ((keys.length > 0 || timeLike) && keys.every((k) => k === 'seconds' || k === 'nanos') && (keys.length > 0 || timeLike)) {
    const seconds = Number(o.seconds ?? 0);
    const nanos = Number(o.nanos ?? 0);
    if (/Time$/.test(key)) {
      const iso = new Date(seconds * 1000).toISOString().replace(/\.000Z$/, '');
      return `${iso}.${String(nanos).padStart(9, '0')}Z`;
    }
    return `${seconds}${nanos ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : ''}s`;
  }
  return Object.fromEntries(keys.map((k) => [k, canonical(o[k], k)]));
}

async function main() {
  const pgHandle = await ensurePostgres('postgres');
  const scratch = await scratchDatabase(pgHandle.url, 'vigie_record');
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'vigie' });
  try {
    Object.assign(process.env, { DATABASE_URL: scratch.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'vigie', PAYMENT_GATEWAY: 'local', MAILER: 'local' });
    await migrate(scratch.url);
    await provisionTemporal(loadTemporalEnv());
    db = createPrismaClient(scratch.url);
    const taskQueue = uid('record');
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES });
    const worker = await startWorker({ env: { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue }, workflowBundle });
    const client = await createTemporalClient();
    try {
      rmSync(HISTORIES_DIR, { recursive: true, force: true });
      mkdirSync(HISTORIES_DIR, { recursive: true });
      await Promise.all(
        SCENARIOS.map(async (s) => {
          const handle = await s.run(client, taskQueue);
          await handle.result().catch(() => undefined);
          const history = await handle.fetchHistory();
          const json = canonical(protoPkg.temporal.api.history.v1.History.fromObject(history).toJSON()) as Record<string, unknown>;
          writeFileSync(path.join(HISTORIES_DIR, `${s.name}.json`), `${JSON.stringify({ workflowId: handle.workflowId, ...json }, null, 1)}\n`);
          log(`recorded ${s.name}: ${history.events?.length ?? 0} events`);
        }),
      );
      log(`${readdirSync(HISTORIES_DIR).length} histories in ${path.relative(ROOT, HISTORIES_DIR)}`);
    } finally {
      await worker.shutdown();
      await client.connection.close();
      await db.$disconnect();
    }
  } finally {
    await temporal.stop();
    await scratch.drop();
    await pgHandle.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(ROOT, 'scripts/record-histories.ts')) {
  await main();
}
