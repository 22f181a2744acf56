// `npm run bench:ingest`: how many checkout events per second the ingestion API accepts and
// stores on this machine, beside a raw multi-row `pg` INSERT of the same rows in the same
// run, and how long a transition takes to show in the live checkouts view.
//
// It starts what it needs and removes it at the end: its own database (ensurePostgres +
// scratchDatabase, dropped after) and the built console (startConsole) on a free
// port, rate limit lifted. Temporal is not needed: the ingestion path never touches it.
// Should the built console not start (another part of the app broken), it serves the same
// route modules (ingestion action, SSE stream, checkouts loader) from a child process of
// its own instead (`--serve`), and says so.
//
// Latency is measured the way the page gets its data: the SSE stream it listens to
// (/t/<tenant>/checkouts/stream), then the page's loader (?_data=...), from the moment the
// POST leaves until the loader returns the new state. The reporter's own batching interval
// (a storefront setting, 5 s by default, 200 ms on the demo pages) comes on top.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import pg from 'pg';
import { createPrismaClient } from '../../prisma/db';
import { generateApiKey } from '../../app/admin/api-keys.server';
import { ROOT, buildConsoleIfStale, ensurePostgres, freePort, log, spawnLogged, startConsole, stopProcess, waitForHttp, type Env } from '../lib/stack';
import { scratchDatabase } from '../lib/scratch-database';
import { sessionCookieFor } from '../../test-support/factories';
import { LIVE_CHANNEL } from '../../app/ingest/store.server';
import { BenchReport } from './report';
import { rawBatchParams, writeRawBatch } from './ingest-raw';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 60_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 12);
const SESSIONS = 2_000;
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 60);
const ROUNDS = 4;
const RAW_BATCH = 2_000; // the API's write buffer flushes up to INGEST_FLUSH_ROWS (2,000) rows per statement
const RAW_CONNECTIONS = 4; // the API's ingestion pool size
const TARGETS = { eventsPerSecond: 15_000, ofRaw: 0.7, p95Ms: 500 };
const report = new BenchReport('ingest', { events: EVENTS, batch: BATCH, concurrency: CONCURRENCY, rounds: ROUNDS });
const TENANT = 'bench';
const LOADER = `routes/t.$tenantId.checkouts._index`;

const stops: Array<() => Promise<void>> = [];
const line = (label: string, value: string, ok?: boolean) =>
  console.log(`${label.padEnd(52)} ${value}${ok === undefined ? '' : ok ? '  ✓' : '  ✗ (target missed)'}`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const PATH = [
  ['panier', 'AJOUTER_ARTICLE'], ['livraison', 'ALLER_LIVRAISON'], ['validationLivraison', 'CONFIRMER_LIVRAISON'],
  ['paiement', 'xstate.done.actor.validerLivraison'], [{ traitementPaiement: { paiement: 'en_cours', animation: 'tournant' } }, 'CONFIRMER_PAIEMENT'],
  ['confirmation', 'xstate.done.actor.traiterPaiement'],
] as const;

function event(i: number, t0: number) {
  const [state, eventType] = PATH[i % PATH.length];
  return {
    source: 'checkout', eventId: randomUUID(), sessionId: `bench-${i % SESSIONS}`, machineId: 'checkout', version: '1.0.0',
    at: new Date(t0 + i).toISOString(), state, tags: [], eventType,
    context: {
      items: [{ produitId: 'table-chene', quantité: 1, prix: 650 }, { produitId: 'lampe', quantité: 2, prix: 89.9 }],
      adresseLivraison: { ville: 'Lyon', pays: 'FR', codePostalPréfixe: '69' }, méthodeExpédition: 'express',
      méthodePaiementChoisie: true, tentativesPaiement: 0, référenceCommande: null,
      erreurLivraison: null, erreurPaiement: null, erreurRéseau: null,
    },
  };
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function main() {
  const pgHandle = await ensurePostgres('postgres');
  stops.push(pgHandle.stop);
  const { url: databaseUrl, drop } = await scratchDatabase(pgHandle.url, 'vigie_bench_ingest');
  stops.push(drop);

  const db = createPrismaClient(databaseUrl, { max: 2 });
  stops.push(() => db.$disconnect());
  await db.tenant.createMany({ data: [{ id: TENANT, name: 'Bench' }, { id: 'bench-raw', name: 'Bench raw' }] });
  const key = generateApiKey(TENANT);
  await db.apiKey.create({ data: { tenantId: TENANT, name: 'bench', prefix: key.prefix, keyHash: key.keyHash } });
  const staff = await db.staffUser.create({
    data: { email: 'bench@vigie.test', name: 'Bench', passwordHash: 'x', memberships: { create: { tenantId: TENANT, role: 'oncall' } } },
  });
  // A real session through the auth module, which reads the console's environment from this process.
  process.env.DATABASE_URL = databaseUrl;
  const { header: cookie } = await sessionCookieFor(staff, TENANT);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverEnv: Env = { DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'production', PUBLIC_URL: base, INGEST_RATE_PER_SECOND: '1000000', INGEST_RATE_BURST: '1000000', PAYMENT_GATEWAY: 'local', MAILER: 'local' };
  let served = 'the built console (server.js)';
  try {
    if (buildConsoleIfStale()) log('console built');
    const consoleProcess = startConsole(serverEnv, { quiet: true });
    stops.push(() => stopProcess(consoleProcess));
    // waitForHttp keeps polling after the process dies; an early exit should fail at once.
    await Promise.race([
      waitForHttp(`${base}/healthz`, 60_000, consoleProcess),
      new Promise((_, reject) => consoleProcess.once('exit', (c) => reject(new Error(`server.js exited with code ${c}`)))),
    ]);
  } catch (error) {
    log(`the built console did not start (${(error as Error).message}; see .cache/console.log): serving the route modules from a child process instead`);
    served = 'the same route modules in a bench server (built console broken)';
    const child = spawnLogged('bench-ingest-server', path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/bench/ingest.ts'), '--serve'], { env: serverEnv, quiet: true });
    stops.push(() => stopProcess(child));
    await waitForHttp(`${base}/healthz`, 60_000, child);
  }
  log(`serving through ${served}`);

  const post = (body: string) =>
    fetch(`${base}/api/v1/checkout-events`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key.raw}` }, body });

  // Warm-up: JIT, connection pools, prepared plans.
  for (let i = 0; i < 5; i++) await post(JSON.stringify({ events: Array.from({ length: BATCH }, (_, j) => event(j, Date.now())) }));

  // ---- throughput: the API against the like-for-like raw baseline, alternating ----
  // Both write EVENTS rows (the API into tenant `bench`, the raw statements into `bench-raw`),
  // in ROUNDS alternating slices, so both see the same machine load; each side's rate is its
  // events over the sum of its slices' times. Pools are open and warm before the clock starts.
  const raw = new pg.Pool({ connectionString: databaseUrl, max: RAW_CONNECTIONS });
  stops.push(() => raw.end());
  const t0 = Date.now();
  const events = Array.from({ length: EVENTS }, (_, i) => event(i, t0));
  const slices = Array.from({ length: ROUNDS }, (_, r) => events.slice(Math.floor((r * EVENTS) / ROUNDS), Math.floor(((r + 1) * EVENTS) / ROUNDS)));
  const apiBodies = slices.map((slice) => {
    const bodies: string[] = [];
    for (let i = 0; i < slice.length; i += BATCH) bodies.push(JSON.stringify({ events: slice.slice(i, i + BATCH) }));
    return bodies;
  });
  const rawParams = slices.map((slice) => {
    const batches: unknown[][] = [];
    for (let i = 0; i < slice.length; i += RAW_BATCH) batches.push(rawBatchParams('bench-raw', slice.slice(i, i + RAW_BATCH), LIVE_CHANNEL));
    return batches;
  });
  for (let i = 0; i < 3; i++) {
    await writeRawBatch(raw, rawBatchParams('bench-raw', Array.from({ length: RAW_BATCH }, (_, j) => ({ ...event(j, t0 - 1e6), sessionId: `warm-${j}` })), LIVE_CHANNEL));
  }
  let accepted = 0;
  let duplicates = 0;
  let rawInserted = 0;
  let apiSeconds = 0;
  let rawSeconds = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const apiStart = performance.now();
    await pool(apiBodies[r]!, CONCURRENCY, async (body) => {
      const res = await post(body);
      if (res.status !== 202) throw new Error(`ingestion answered ${res.status}: ${await res.text()}`);
      const counts = (await res.json()) as { accepted: number; duplicates: number };
      accepted += counts.accepted;
      duplicates += counts.duplicates;
    });
    apiSeconds += (performance.now() - apiStart) / 1000;
    const rawStart = performance.now();
    await pool(rawParams[r]!, RAW_CONNECTIONS, async (params) => { const n = await writeRawBatch(raw, params); rawInserted += n; });
    rawSeconds += (performance.now() - rawStart) / 1000;
  }
  const stored = await db.checkoutTransition.count({ where: { tenantId: TENANT, eventId: { in: [events[0].eventId, events[EVENTS - 1].eventId] } } });
  const storedAll = await db.checkoutTransition.count({ where: { tenantId: TENANT } });
  if (accepted !== EVENTS || stored !== 2) throw new Error(`accepted ${accepted} of ${EVENTS} (${duplicates} duplicates), ${storedAll} rows stored; first and last stored: ${stored}/2`);
  if (rawInserted !== EVENTS) throw new Error(`the raw baseline inserted ${rawInserted} of ${EVENTS} rows`);
  const sessionsApi = await db.checkoutSession.count({ where: { tenantId: TENANT, sessionId: { startsWith: 'bench-' } } });
  const sessionsRaw = await db.checkoutSession.count({ where: { tenantId: 'bench-raw', sessionId: { startsWith: 'bench-' } } });
  if (sessionsApi !== sessionsRaw) throw new Error(`the two sides do not hold the same snapshots: ${sessionsApi} vs ${sessionsRaw} sessions`);
  const apiRate = EVENTS / apiSeconds;
  const rawRate = EVENTS / rawSeconds;

  // ---- transition → visible in the live checkouts view ----
  const streamAbort = new AbortController();
  stops.push(async () => streamAbort.abort());
  const stream = await fetch(`${base}/t/${TENANT}/checkouts/stream?kinds=checkout`, { headers: { Cookie: cookie, Accept: 'text/event-stream' }, signal: streamAbort.signal });
  if (!stream.ok || !stream.body) throw new Error(`SSE stream answered ${stream.status}`);
  const reader = stream.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let waiters: Array<() => void> = [];
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let i;
      while ((i = buffered.indexOf('\n\n')) !== -1) {
        const message = buffered.slice(0, i);
        buffered = buffered.slice(i + 2);
        if (/^event: checkout$/m.test(message)) {
          const w = waiters;
          waiters = [];
          w.forEach((f) => f());
        }
      }
    }
  })();
  const nextPing = () => new Promise<void>((resolve) => waiters.push(resolve));
  const loaderState = async (sessionId: string) => {
    const res = await fetch(`${base}/t/${TENANT}/checkouts?session=${sessionId}&_data=${encodeURIComponent(LOADER)}`, { headers: { Cookie: cookie } });
    if (!res.ok) throw new Error(`loader answered ${res.status}`);
    const data = (await res.json()) as { rows: { sessionId: string; state: string }[] };
    return data.rows.find((r) => r.sessionId === sessionId)?.state ?? null;
  };

  async function sampleLatency(label: string) {
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const sessionId = `latency-${label}-${i}`;
      const e = { ...event(1, Date.now()), sessionId, state: 'livraison', at: new Date().toISOString() };
      const sent = performance.now();
      const ping = nextPing();
      const res = await post(JSON.stringify({ events: [e] }));
      if (res.status !== 202) throw new Error(`latency post answered ${res.status}`);
      // What the page does: a ping arrives, the loader runs; repeat until the new state shows.
      for (;;) {
        await Promise.race([ping, new Promise((r) => setTimeout(r, 2_000))]);
        if ((await loaderState(sessionId)) === 'livraison') break;
      }
      latencies.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 50));
    }
    return latencies;
  }

  const idle = await sampleLatency('idle');
  // The same under a steady background load of about 2,000 events/s.
  let loading = true;
  const background = (async () => {
    while (loading) {
      const started = performance.now();
      await post(JSON.stringify({ events: Array.from({ length: 200 }, (_, j) => event(j, Date.now())) }));
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - started))));
    }
  })();
  const loaded = await sampleLatency('loaded');
  loading = false;
  await background;

  console.log(`\nIngestion bench: ${EVENTS.toLocaleString('en')} checkout events, batches of ${BATCH}, ${CONCURRENCY} concurrent clients, ${(await import('node:os')).cpus().length} CPU(s)`);
  line('API accepted and stored (202 = committed)', `${apiRate.toFixed(0)} events/s (${apiSeconds.toFixed(1)} s, ${storedAll} rows)`, apiRate >= TARGETS.eventsPerSecond);
  line(`raw pg, same rows and tables (${RAW_BATCH}/stmt, ${RAW_CONNECTIONS} conns)`, `${rawRate.toFixed(0)} events/s (${rawSeconds.toFixed(1)} s; transitions + snapshot upsert + NOTIFY)`);
  line('API / raw', `${((apiRate / rawRate) * 100).toFixed(0)} %`, apiRate / rawRate >= TARGETS.ofRaw);
  line('transition → live view (SSE + loader), idle', `p50 ${pct(idle, 50).toFixed(0)} ms, p95 ${pct(idle, 95).toFixed(0)} ms, max ${Math.max(...idle).toFixed(0)} ms`, pct(idle, 95) < TARGETS.p95Ms);
  line('transition → live view, under ~2,000 events/s', `p50 ${pct(loaded, 50).toFixed(0)} ms, p95 ${pct(loaded, 95).toFixed(0)} ms, max ${Math.max(...loaded).toFixed(0)} ms`, pct(loaded, 95) < TARGETS.p95Ms);
  console.log(`(${ROUNDS} alternating rounds of ${(EVENTS / ROUNDS).toLocaleString('en')} events per side; load average at the end ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  report.figure('events stored per second through the API', apiRate, 'events/s', { kind: 'min', limit: TARGETS.eventsPerSecond });
  report.ratio('API events/s vs raw pg, same rows and tables', apiRate, rawRate, 'events/s', { kind: 'min', limit: TARGETS.ofRaw });
  report.figure('p95 transition → live view, idle', pct(idle, 95), 'ms', { kind: 'max', limit: TARGETS.p95Ms });
  report.figure('p95 transition → live view, under load', pct(loaded, 95), 'ms', { kind: 'max', limit: TARGETS.p95Ms });
  report.save();
}

/** `--serve`: the three routes the bench uses, from their route modules, on PORT. */
async function serve() {
  const ingest = await import('../../app/routes/api.v1.checkout-events');
  const stream = await import('../../app/routes/t.$tenantId.checkouts.stream');
  const { liveCheckoutsData } = await import('../../app/live/checkouts.server');
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        signal: controller.signal,
      });
      const tenantRoute = /^\/t\/([^/]+)\/checkouts(\/stream)?$/.exec(url.pathname);
      const args = { request, context: { clientAddress: '127.0.0.1', cspNonce: '' }, params: { tenantId: tenantRoute?.[1] } };
      let response: Response;
      if (url.pathname === '/healthz') response = new Response('ok');
      else if (url.pathname === '/api/v1/checkout-events') response = await ingest.action(args);
      else if (tenantRoute?.[2]) response = await stream.loader(args);
      else if (tenantRoute) response = Response.json(await liveCheckoutsData(request, tenantRoute[1]));
      else response = new Response('not found', { status: 404 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as WebReadableStream).pipe(res);
      else res.end();
    } catch (thrown) {
      const r = thrown instanceof Response ? thrown : new Response(String(thrown), { status: 500 });
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(await r.text());
    }
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
}

let code = 0;
try {
  if (process.argv.includes('--serve')) {
    await serve();
    await new Promise(() => {});
  }
  await main();
} catch (error) {
  console.error(error);
  code = 1;
} finally {
  for (const stop of stops.reverse()) await stop().catch((e) => console.error('cleanup failed:', e));
}
process.exit(code);
