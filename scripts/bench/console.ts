// npm run bench:console — the console's server time for the trial pages against the raw
// @temporalio/client calls each page needs, with 12,000 trials in one tenant.
//
// It starts its own PostgreSQL database, Temporal dev server, worker and built console, and
// stops them all. 11,900 trials sit on a task queue no worker polls (visibility is all the
// list needs); 100 run on the worker, so their page can query statutDetaillé. One of those gets a
// 2,000-event history for the workflow page (issue 12: first paint p95 ≤ 1.3× the raw first
// history page). "First paint" is the time until the streamed HTML holds the workflow's summary
// (what a browser paints first); the full document, every deferred part streamed in, is printed too.
//
// BENCH_ONLY=workflow-page runs only the workflow page part: it reads one workflow, so it does not
// depend on BENCH_TRIALS (BENCH_TRIALS=200 is enough for it and starts in seconds).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { createPrismaClient } from '../../prisma/db';
import { provisionTemporal } from '../../temporal/provision';
import { loadTemporalEnv } from '../../temporal/config';
import { startOnboarding } from '../../temporal/starters';
import { ONBOARDING_WORKFLOW_TYPE, onboardingWorkflowId, queryJoursTrial, queryStatutDetaillé, signalFonctionnalitéActivée } from '../../temporal/workflows/onboarding.contract';
import { OnboardingPhase, Subscribed, TenantId, TrialDay } from '../../temporal/search-attributes';
import {
  buildConsoleIfStale, ensurePostgres, freePort, log, startConsole, startTemporalDevServer,
  startWorkerProcess, stopProcess, waitForHttp, waitForOutput, type Env,
} from '../lib/stack';
import { scratchDatabase } from '../lib/scratch-database';
import { sessionCookieFor } from '../../test-support/factories';
import { BenchReport } from './report';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 12_000);
// The list pages are measured as the tenant grows through these sizes (a list page must not grow
// with the tenant); the trial and workflow pages once, at the last. BENCH_TRIALS alone: that size only.
const SIZES = (process.env.BENCH_SIZES ?? (process.env.BENCH_TRIALS ? String(TRIALS) : '1000,4000,12000')).split(',').map(Number);
const TARGETS = { listHtml: 1.5, listLoader: 1.2, listFiltered: 1.5, trialPage: 1.3, workflowPaintP95: 1.3 };
const LIVE = 100;
const LONG_HISTORY = Number(process.env.BENCH_HISTORY_EVENTS ?? 2_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const ONLY = process.env.BENCH_ONLY;
if (ONLY !== undefined && ONLY !== 'workflow-page') throw new Error('BENCH_ONLY: the only part that runs alone is workflow-page');
if (SIZES.some((n) => !Number.isInteger(n) || n < LIVE) || SIZES.some((n, i) => i > 0 && n <= SIZES[i - 1]!)) {
  throw new Error(`BENCH_SIZES / BENCH_TRIALS: increasing integers ≥ ${LIVE}`);
}
const report = new BenchReport('console', { sizes: SIZES.join(','), samples: Number(process.env.BENCH_SAMPLES ?? 60) });
const largest = SIZES.at(-1)!;
// The console streams its pages to browsers and renders them whole for bots (entry.server.tsx,
// isbot): Node's fetch says "node", a bot, so the bench says what a browser says.
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
/** In the workflow page's summary card, which the first streamed chunk must hold. */
const SUMMARY_MARKER = 'data-testid="workflow-summary"';
const TENANT = 'bench';
const PHASES = ['inscription', 'activation', 'engagement', 'conversion'];

const stops: Array<() => Promise<void>> = [];
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;

async function time(fn: () => Promise<unknown>) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const ratios = (page: number[], raw: number[]) =>
  `page/raw p50 ${(pct(page, 50) / pct(raw, 50)).toFixed(2)}×, p95 ${(pct(page, 95) / pct(raw, 95)).toFixed(2)}×`;

/** The console process's CPU time so far (user + system, ms), from /proc: null where there is none. */
let consolePid: number | undefined;
function consoleCpuMs(): number | null {
  if (!consolePid) return null;
  try {
    // Fields 14 and 15 of /proc/<pid>/stat (after the command name in parentheses), in clock ticks.
    const fields = readFileSync(`/proc/${consolePid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/**
 * Alternates page and raw calls so both see the same server load. Also prints the console's own
 * CPU time per page request: unlike the ratios, it hardly moves with the machine's load.
 */
async function compare(label: string, page: () => Promise<unknown>, raw: () => Promise<unknown>, target?: number) {
  for (let i = 0; i < 5; i++) { await page(); await raw(); } // warm-up
  const pageMs: number[] = [];
  const rawMs: number[] = [];
  const cpuBefore = consoleCpuMs();
  for (let i = 0; i < SAMPLES; i++) {
    pageMs.push(await time(page));
    rawMs.push(await time(raw));
  }
  const cpuAfter = consoleCpuMs();
  const cpu = cpuBefore !== null && cpuAfter !== null ? ` | console CPU ${((cpuAfter - cpuBefore) / SAMPLES).toFixed(1)} ms/request` : '';
  console.log(`${label.padEnd(34)} page: ${fmt(pageMs)} | raw calls: ${fmt(rawMs)} | ${ratios(pageMs, rawMs)}${cpu}`);
  report.ratio(`${label.trim()}, p50`, pct(pageMs, 50), pct(rawMs, 50), 'ms', target === undefined ? undefined : { kind: 'max', limit: target });
}

/**
 * Like compare, for a streamed page: one request gives both the time until the first chunk that
 * holds `marker` arrived (first paint) and the time until the document ended (full document).
 */
async function comparePaint(label: string, page: () => Promise<{ paint: number; full: number }>, raw: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) { await page(); await raw(); } // warm-up
  const paintMs: number[] = [];
  const fullMs: number[] = [];
  const rawMs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const { paint, full } = await page();
    paintMs.push(paint);
    fullMs.push(full);
    rawMs.push(await time(raw));
  }
  console.log(`${label}\n${'  first paint (summary streamed)'.padEnd(34)} page: ${fmt(paintMs)} | raw calls: ${fmt(rawMs)} | ${ratios(paintMs, rawMs)}`);
  console.log(`${'  full document'.padEnd(34)} page: ${fmt(fullMs)} | raw calls: ${fmt(rawMs)} | ${ratios(fullMs, rawMs)}`);
  report.ratio(`${label.trim()}: first paint, p95`, pct(paintMs, 95), pct(rawMs, 95), 'ms', { kind: 'max', limit: TARGETS.workflowPaintP95 });
  report.ratio(`${label.trim()}: full document, p95`, pct(fullMs, 95), pct(rawMs, 95), 'ms');
}

async function main() {
  const pgHandle = await ensurePostgres('postgres');
  stops.push(pgHandle.stop);
  const { url: databaseUrl, drop } = await scratchDatabase(pgHandle.url, 'vigie_bench_console');
  stops.push(drop);
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'vigie' });
  stops.push(temporal.stop);
  const port = await freePort();
  const env: Env = {
    DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'vigie', TEMPORAL_TASK_QUEUE: 'vigie-bench',
    PORT: String(port), NODE_ENV: 'production', PUBLIC_URL: `http://localhost:${port}`, PAYMENT_GATEWAY: 'local', MAILER: 'local',
  };
  Object.assign(process.env, env);
  await provisionTemporal(loadTemporalEnv());

  const db = createPrismaClient(databaseUrl);
  await db.tenant.create({ data: { id: TENANT, name: 'Bench' } });
  const staff = await db.staffUser.create({ data: { email: 'bench@vigie.test', name: 'Bench', passwordHash: 'x', memberships: { create: { tenantId: TENANT, role: 'support' } } } });
  // A real session through the auth module (it reads DATABASE_URL, set in process.env above).
  const { header: cookie } = await sessionCookieFor(staff, TENANT);

  const client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: 'vigie' });
  // The LIVE trials (the last ids) run on the worker, so their page can query statutDetaillé; the
  // others sit on a queue no worker polls (visibility is all a list needs). They are started in
  // steps, up to each size, and the list pages measured at each.
  const ids = Array.from({ length: largest }, (_, i) => `b${String(i).padStart(5, '0')}`);
  await db.trialUser.createMany({ data: ids.map((id) => ({ id, tenantId: TENANT, email: `${id}@bench.test`, name: `Bench ${id}` })) });
  const live = ids.slice(largest - LIVE);
  for (const id of live) await startOnboarding(client, { tenantId: TENANT, utilisateurId: id, email: `${id}@bench.test`, prénom: 'Bench', planEssaiId: 'trial-14j' });
  let startedIdle = 0;
  const growTo = async (size: number) => {
    const started = performance.now();
    const upTo = size - LIVE;
    let next = startedIdle;
    await Promise.all(Array.from({ length: 32 }, async () => {
      for (let i = next++; i < upTo; i = next++) {
        await client.workflow.start(ONBOARDING_WORKFLOW_TYPE, {
          taskQueue: 'bench-idle', workflowId: onboardingWorkflowId(ids[i]), args: [{}],
          typedSearchAttributes: [
            { key: TenantId, value: TENANT }, { key: OnboardingPhase, value: PHASES[i % PHASES.length] },
            { key: TrialDay, value: i % 15 }, { key: Subscribed, value: i % 10 === 0 },
          ],
        });
      }
    }));
    log(`${upTo - startedIdle} more trials started in ${((performance.now() - started) / 1000).toFixed(1)} s: ${size} in the tenant`);
    startedIdle = upTo;
  };

  buildConsoleIfStale();
  const worker = startWorkerProcess(env, { quiet: true });
  stops.push(() => stopProcess(worker));
  await waitForOutput(worker, /worker ready/, 'the worker');
  const consoleProcess = startConsole(env, { quiet: true });
  stops.push(() => stopProcess(consoleProcess));
  consolePid = consoleProcess.pid;
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, consoleProcess);
  // Let the live trials run their J+0 step so statutDetaillé has something to say.
  await new Promise((r) => setTimeout(r, 5000));

  const headers = { cookie, 'user-agent': BROWSER_UA };
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers, redirect: 'manual' });
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    await res.arrayBuffer();
  };
  /** Reads the page as it streams: when the marker first arrived, and when the document ended. */
  const paint = async (path: string, marker: string) => {
    const t = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers, redirect: 'manual' });
    if (res.status !== 200 || !res.body) throw new Error(`${path}: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let seen = '';
    let painted: number | null = null;
    const reader = res.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (painted !== null) continue;
      // The tail of the previous chunk too, in case the marker straddles two chunks.
      seen = seen.slice(-marker.length) + decoder.decode(chunk.value, { stream: true });
      if (seen.includes(marker)) painted = performance.now() - t;
    }
    if (painted === null) throw new Error(`${path}: the page never held ${marker}`);
    return { paint: painted, full: performance.now() - t };
  };
  const ns = 'vigie';
  const tq = (extra?: string) => `TenantId = '${TENANT}' AND (WorkflowType = '${ONBOARDING_WORKFLOW_TYPE}'${extra ? ` AND ${extra}` : ''})`;
  const rawList = (extra?: string) => Promise.all([
    client.connection.workflowService.listWorkflowExecutions({ namespace: ns, query: tq(extra), pageSize: 50 }),
    client.workflow.count(tq(extra)),
  ]);
  // The machine's load, since every figure below shares its cores with whatever else runs there.
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`\nbench:console — ${SIZES.join(' → ')} trials in one tenant, ${SAMPLES} samples each, sequential requests${ONLY ? ` (only ${ONLY})` : ''}; load average ${load()} on ${availableParallelism()} cores`);
  // The other pages read the trial list; the workflow page alone needs none of it (BENCH_ONLY).
  const view = await db.savedView.create({
    data: { tenantId: TENANT, ownerId: staff.id, ownerEmail: staff.email, name: 'late, unsubscribed', shared: true, query: 'a1=TrialDay&o1=ge&v1=7&a2=OnboardingPhase&o2=eq&v2=conversion&a3=Subscribed&o3=eq&v3=false' },
  });
  const viewClause = `TenantId = '${TENANT}' AND (TrialDay >= 7 AND OnboardingPhase = 'conversion' AND Subscribed = false)`;
  for (const size of ONLY ? [largest] : SIZES) {
    await growTo(size);
    if (ONLY) break;
    const at = (label: string) => `${label} @${size.toLocaleString('en')}`;
    // Targets at the tenant's full size; the smaller sizes show how the figures grow.
    const t = (limit: number) => (size === largest ? limit : undefined);
    console.log(`— ${size.toLocaleString('en')} trials in the tenant; load average ${load()}`);
    await compare(at('trial list, first page'), () => get(`/t/${TENANT}/trials`), () => rawList(), t(TARGETS.listHtml));
    // The same page's loader alone (Remix data request): shows what rendering HTML adds.
    await compare(at('trial list, loader only (_data)'), () => get(`/t/${TENANT}/trials?_data=${encodeURIComponent('routes/t.$tenantId.trials._index')}`), () => rawList(), t(TARGETS.listLoader));
    await compare(at('trial list, filtered (phase+day)'), () => get(`/t/${TENANT}/trials?phase=activation&day=5`), () => rawList(`OnboardingPhase = 'activation' AND TrialDay = 5`), t(TARGETS.listFiltered));
    // Sorted by trial day / phase: visibility has no ORDER BY, so the server walks one query per value.
    await compare(at('trial list, sorted by trial day'), () => get(`/t/${TENANT}/trials?sort=day-asc`), () => rawList(), t(TARGETS.listHtml));
    await compare(at('trial list, sorted by phase'), () => get(`/t/${TENANT}/trials?sort=phase`), () => rawList(), t(TARGETS.listHtml));
    // The on-call workflow list opened on a saved view of three search-attribute conditions, against
    // the raw visibility calls the same filter needs (a page and the count).
    await compare(at('workflow list, saved view (3 SA)'), () => get(`/t/${TENANT}/workflows?sv=${view.id}`), () => Promise.all([
      client.connection.workflowService.listWorkflowExecutions({ namespace: ns, query: viewClause, pageSize: 50 }),
      client.workflow.count(viewClause),
    ]), t(TARGETS.listFiltered));
  }
  if (!ONLY) {
    let k = 0;
    await compare('trial user page', () => get(`/t/${TENANT}/trials/${live[k++ % LIVE]}`), async () => {
      const h = client.workflow.getHandle(onboardingWorkflowId(live[k % LIVE]));
      await h.describe();
      await Promise.all([h.query(queryStatutDetaillé), h.query(queryJoursTrial)]);
    }, TARGETS.trialPage);
    // What a document costs here before it reads anything: a page of the same size (≈ 38 kB, its
    // time-zone select) with no Temporal call, the operator's preferences. A page whose raw calls
    // take 14 ms cannot come nearer its raw time than this (docs/performance.md).
    const floor: number[] = [];
    for (let i = 0; i < 5; i++) await get(`/t/${TENANT}/preferences`);
    for (let i = 0; i < SAMPLES; i++) floor.push(await time(() => get(`/t/${TENANT}/preferences`)));
    console.log(`${'a document, no Temporal call'.padEnd(34)} page: ${fmt(floor)} (the preferences page)`);
    report.figure('a document with no Temporal call (preferences page), p50', pct(floor, 50), 'ms');
  }

  // The workflow page of a trial whose history reaches 2,000 events (signals its worker answers),
  // against the raw first page of that history as Temporal serves it (what the CLI and UI fetch first).
  const longId = onboardingWorkflowId(live[0]);
  const long = client.workflow.getHandle(longId);
  let batch = 0;
  while ((await long.describe()).historyLength < LONG_HISTORY) {
    await Promise.all(Array.from({ length: 50 }, (_, i) => long.signal(signalFonctionnalitéActivée, { fonctionnalité: `f${batch}-${i}` })));
    batch++;
  }
  const length = (await long.describe()).historyLength;
  const rawFirstPage = () => client.connection.workflowService.getWorkflowExecutionHistory({ namespace: ns, execution: { workflowId: longId } });
  await comparePaint(`workflow page, ${length}-event history`, () => paint(`/t/${TENANT}/workflows/${longId}`, SUMMARY_MARKER), rawFirstPage);
  await comparePaint(`  same, timeline view`, () => paint(`/t/${TENANT}/workflows/${longId}?view=timeline`, SUMMARY_MARKER), rawFirstPage);
  console.log(`load average at the end: ${load()}`);
  report.save();
  await client.connection.close();
  await db.$disconnect();
}

let code = 0;
try {
  await main();
} catch (error) {
  console.error(error);
  code = 1;
} finally {
  for (const stop of stops.reverse()) await stop().catch((e) => console.error('cleanup failed:', e));
}
process.exit(code);
