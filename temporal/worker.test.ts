// The worker as its own process (`npx tsx temporal/worker.ts`): it refuses a bad environment,
// and a SIGKILL in the middle of onboarding sequences and sagas loses nothing and doubles
// nothing once another worker takes over. The histories of those runs replay deterministically.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createPrismaClient, type Db } from '../prisma/db';
import { spawnLogged, stopProcess } from '../scripts/lib/stack';
import { createTemporalClient } from './config';
import { injectFault } from '../ports/faults';
import { startOnboarding, startPaymentSaga } from './starters';
import { onboardingWorkflowId } from './workflows/onboarding.contract';
import { paymentWorkflowId } from './workflows/payment.contract';
import { SAGA_KEYS } from '../finance/saga-keys';
import { uid } from '../test-support/ids';
import { mailFor, quietRuntime, TEST_DURÉES, waitFor } from '../test-support/temporal';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from './worker';

const TEMPLATES = ['bienvenue-trial', 'guide-démarrage', 'aide-activation', 'mi-parcours', 'dernier-rappel-trial', 'trial-expiré'];

let db: Db;
let client: Client;
const children: ChildProcess[] = [];

beforeAll(async () => {
  quietRuntime();
  db = createPrismaClient(process.env.DATABASE_URL!);
  client = await createTemporalClient();
});
afterAll(async () => {
  for (const child of children) await stopProcess(child, 3_000);
  await client?.connection.close();
  await db?.$disconnect();
});

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawnLogged('worker', 'npx', ['tsx', 'temporal/worker.ts'], { env: env as NodeJS.ProcessEnv, quiet: true });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitReady(w: WorkerProcess) {
  await waitFor('worker ready', async () => {
    if (w.child.exitCode !== null) throw new Error(`worker exited early:\n${w.output()}`);
    return w.output().includes('worker ready');
  }, 60_000, 100);
}

describe('worker process', () => {
  it('exits with code 1 and names the variable when the environment is wrong', async () => {
    const stripe = spawnWorker({ PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: '', STRIPE_INSURANCE_CUSTOMER_ID: 'cus_insurer' });
    const noDb = spawnWorker({ DATABASE_URL: '', WORKER_MAX_CONCURRENT_ACTIVITIES: 'beaucoup' });
    expect(await stripe.exited).toBe(1);
    expect(stripe.output()).toMatch(/STRIPE_SECRET_KEY: required when PAYMENT_GATEWAY=stripe/);
    expect(await noDb.exited).toBe(1);
    expect(noDb.output()).toMatch(/DATABASE_URL: /);
    expect(noDb.output()).toMatch(/WORKER_MAX_CONCURRENT_ACTIVITIES: /);
  });

  it('loses and doubles nothing when the worker is killed mid-sequence and mid-saga, and the histories replay', async () => {
    const taskQueue = uid('test-kill');
    const env = { TEMPORAL_TASK_QUEUE: taskQueue };
    const tenantId = uid('t-kill');
    const premier = spawnWorker(env);
    await waitReady(premier);

    // O1 sleeps through the kill; O2's J+1 email is in the mailer when the worker dies.
    const u1 = uid('u');
    const u2 = uid('u');
    await injectFault(db, { operation: 'mail.send', mode: 'delay', target: `${onboardingWorkflowId(u2)}:guide-démarrage`, times: 1, delayMs: 6_000 });
    // S1's transfer and S2's charge are at the provider when the worker dies; S2's seller account is then refused.
    const c1 = uid('cmd');
    const c2 = uid('cmd');
    await injectFault(db, { operation: 'transfer', mode: 'delay', target: c1, times: 1, delayMs: 6_000 });
    await injectFault(db, { operation: 'charge', mode: 'delay', target: c2, times: 1, delayMs: 6_000 });
    await injectFault(db, { operation: 'transfer', mode: 'invalid_account', target: c2 });

    const onboarding = (u: string) => startOnboarding(client, { tenantId, utilisateurId: u, email: `${u}@example.test`, prénom: 'Alix', planEssaiId: 'essai', durées: TEST_DURÉES }, { taskQueue });
    const saga = (c: string) => startPaymentSaga(client, { tenantId, commandeId: c, acheteurId: uid('cus'), vendeurId: uid('acct'), montantTotal: 25_000 }, { taskQueue });
    const [o1, o2, s1, s2] = await Promise.all([onboarding(u1), onboarding(u2), saga(c1), saga(c2)]);

    await waitFor('every workflow mid-flight', async () => {
      const guide = await db.emailDelivery.findUnique({ where: { idempotencyKey: `${o2.workflowId}:guide-démarrage` } });
      const transfer = await db.ledgerEntry.findUnique({ where: { idempotencyKey: SAGA_KEYS.transfer(c1) } });
      const charge = await db.ledgerEntry.findUnique({ where: { idempotencyKey: SAGA_KEYS.charge(c2) } });
      return guide?.status === 'sending' && transfer?.status === 'pending' && charge?.status === 'pending';
    }, 20_000, 50);
    process.kill(-premier.child.pid!, 'SIGKILL');
    expect(await premier.exited).toBeNull();

    const second = spawnWorker(env);
    await waitReady(second);

    const [r1, r2] = await Promise.all([o1.result(), o2.result()]);
    expect(r1).toMatchObject({ issue: 'expiré', emailsEnvoyés: TEMPLATES });
    expect(r2).toMatchObject({ issue: 'expiré', emailsEnvoyés: TEMPLATES });
    for (const o of [o1, o2]) {
      // One delivered message per template. A send the killed worker had made but not yet reported
      // is asked for again with the same idempotency key, and the provider keeps one message.
      // Exactly one message per template, under the key rule's own key.
      expect(await mailFor(db, o.workflowId)).toEqual(Object.fromEntries(TEMPLATES.map((t) => [t, 1])));
      expect(await db.salesAlert.count({ where: { workflowId: o.workflowId } })).toBe(1);
    }
    expect(await db.emailDelivery.findUniqueOrThrow({ where: { idempotencyKey: `${o2.workflowId}:guide-démarrage` } })).toMatchObject({ status: 'sent', attempts: 2 });

    expect(await s1.result()).toMatchObject({ statut: 'succès' });
    await expect(s2.result()).rejects.toThrow();
    const kinds = async (c: string) => (await db.providerObject.findMany({ where: { orderId: c, status: 'succeeded' }, orderBy: { createdAt: 'asc' } })).map((o) => o.kind);
    expect(await kinds(c1)).toEqual(['charge', 'transfer', 'insurance']);
    expect(await kinds(c2)).toEqual(['charge', 'refund']);
    expect(await db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: SAGA_KEYS.transfer(c1) } })).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect((await db.paymentSaga.findUniqueOrThrow({ where: { orderId: c1 } })).status).toBe('succeeded');
    expect((await db.paymentSaga.findUniqueOrThrow({ where: { orderId: c2 } })).status).toBe('compensated');
    expect(await db.financeIncident.count({ where: { orderId: c2 } })).toBe(1);

    const ids = [onboardingWorkflowId(u1), onboardingWorkflowId(u2), paymentWorkflowId(c1), paymentWorkflowId(c2)];
    const histories = await Promise.all(ids.map(async (workflowId) => ({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() })));
    for (const { workflowId, history } of histories) {
      // Both processes worked on each workflow: the kill really happened mid-flight.
      const identities = new Set((history.events ?? []).map((e) => e.workflowTaskStartedEventAttributes?.identity).filter(Boolean));
      expect(identities.size, workflowId).toBe(2);
    }
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
    const replayed: Array<{ workflowId: string; error?: unknown }> = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) replayed.push({ workflowId: result.workflowId, error: result.error });
    expect(replayed).toEqual(ids.map((workflowId) => ({ workflowId, error: undefined })));

    // SIGTERM to the process group: the worker drains and says so (npx itself just dies of the signal).
    // Generous limits: on a loaded 2-core machine draining and exiting can take tens of seconds.
    await stopProcess(second.child, 60_000);
    await waitFor('graceful stop', async () => second.output().includes('worker stopped'), 60_000);
  }, 240_000);
});
