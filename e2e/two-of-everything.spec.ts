// How Vigie scales past one machine: more console processes and more workers against one
// PostgreSQL and one Temporal server. This spec starts two more consoles (B, C) and a second
// worker beside the ones the test stack runs, and checks that what must be shared is: the
// ingestion rate limit and the login limit hold across consoles, a live view on one console
// sees what another ingested, and both workers take work from the one task queue.
import { expect, test } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { freePort, startConsole, startWorkerProcess, stopProcess, waitForHttp, waitForOutput } from '../scripts/lib/stack';
import { createTemporalClient } from '../temporal/config';
import { makeStaff, makeTenant, makeTrial, sessionCookieFor, uid } from '../test-support/factories';
import { checkoutEvent, makeApiKey } from './support/ingest';

test.describe.configure({ timeout: 180_000 });

const children: ChildProcess[] = [];
let consoles: string[] = [];

test.beforeAll(async () => {
  // Small ingestion limits on B and C (the same on both, as a deployment would set them), and a
  // proxy in front so each test's login attempts come from an address of its own.
  const started = await Promise.all([0, 1].map(async () => {
    const port = await freePort();
    const child = startConsole({ ...process.env, PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, INGEST_RATE_BURST: '5', INGEST_RATE_PER_SECOND: '0.1', TRUST_PROXY: 'loopback' }, { quiet: true });
    children.push(child);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, child);
    return `http://localhost:${port}`;
  }));
  consoles = started;
  const worker = startWorkerProcess({ ...process.env }, { quiet: true });
  children.push(worker);
  await waitForOutput(worker, /worker ready/, 'the second worker');
});
test.afterAll(async () => {
  for (const child of children) await stopProcess(child, 30_000);
});

test('the ingestion rate limit of a key is one bucket across consoles', async () => {
  const tenant = await makeTenant();
  const key = await makeApiKey(tenant.id);
  const post = (base: string) => fetch(`${base}/api/v1/checkout-events`, {
    method: 'POST', headers: { Authorization: `Bearer ${key.raw}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ events: [checkoutEvent()] }),
  }).then((r) => r.status);
  // 20 requests at once, half to each console: a burst of 5 in all (per process it would be 10).
  const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(consoles[i % 2])));
  expect(statuses.filter((s) => s === 202)).toHaveLength(5);
  expect(statuses.filter((s) => s === 429)).toHaveLength(15);
});

test('the login limit of an account holds across consoles', async () => {
  const staff = await makeStaff({ [(await makeTenant()).id]: 'support' });
  const address = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const attempt = (base: string) => fetch(`${base}/login?_data=routes%2Flogin`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base, 'X-Forwarded-For': address },
    body: new URLSearchParams({ email: staff.email, password: 'wrong-password-for-sure', redirectTo: '/' }).toString(),
  }).then((r) => r.status);
  // 15 wrong passwords at once, split over two consoles: 5 are checked (401), the rest refused unchecked (429).
  const statuses = await Promise.all(Array.from({ length: 15 }, (_, i) => attempt(consoles[i % 2])));
  expect(statuses.filter((s) => s === 401)).toHaveLength(5);
  expect(statuses.filter((s) => s === 429)).toHaveLength(10);
});

test('a live view on one console sees a checkout ingested through another', async () => {
  const tenant = await makeTenant();
  const key = await makeApiKey(tenant.id);
  const { header: cookie } = await sessionCookieFor(await makeStaff({ [tenant.id]: 'support' }), tenant.id);
  const abort = new AbortController();
  const stream = await fetch(`${consoles[1]}/t/${tenant.id}/checkouts/stream`, { headers: { Cookie: cookie }, signal: abort.signal });
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  const sessionId = uid('two');
  const ingested = await fetch(`${consoles[0]}/api/v1/checkout-events`, {
    method: 'POST', headers: { Authorization: `Bearer ${key.raw}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ events: [checkoutEvent({ sessionId })] }),
  });
  expect(ingested.status).toBe(202);
  let seen = '';
  const deadline = Date.now() + 20_000;
  while (!seen.includes('event: checkout') && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 1_000))]);
    if (chunk && !chunk.done) seen += new TextDecoder().decode(chunk.value);
  }
  abort.abort();
  expect(seen).toContain('event: checkout');
});

test('both workers take work from the one task queue', async () => {
  const tenant = await makeTenant();
  const client = await createTemporalClient();
  try {
    const identities = new Set<string>();
    // Trials until the welcome emails of both workers are seen (a handful is enough; the bound only stops a hang).
    for (let round = 0; round < 6 && identities.size < 2; round++) {
      const trials = await Promise.all(Array.from({ length: 5 }, () => makeTrial(tenant.id)));
      await expect.poll(async () => {
        const histories = await Promise.all(trials.map((t) => client.workflow.getHandle(t.workflowId).fetchHistory()));
        for (const h of histories) for (const e of h.events ?? []) if (e.activityTaskStartedEventAttributes?.identity) identities.add(e.activityTaskStartedEventAttributes.identity);
        return histories.every((h) => (h.events ?? []).some((e) => e.activityTaskCompletedEventAttributes));
      }, { timeout: 30_000 }).toBe(true);
      for (const t of trials) await client.workflow.getHandle(t.workflowId).terminate('test done');
    }
    expect(identities.size).toBe(2);
    const pollers = await client.connection.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: process.env.TEMPORAL_TASK_QUEUE! }, taskQueueType: 2 });
    expect(new Set((pollers.pollers ?? []).map((p) => p.identity)).size).toBeGreaterThanOrEqual(2);
  } finally {
    await client.connection.close();
  }
});
