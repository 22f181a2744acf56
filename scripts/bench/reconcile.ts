// `npm run bench:reconcile`: reconciliation of BENCH_ORDERS (10 000) orders in one period.
// Its own database (vigie_bench_reconcile_<pid>_<random>, dropped at the end), orders generated
// in SQL: a saga, its ledger rows and the local provider's objects each, with a known sprinkling
// of every mismatch kind. First the provider mirror is filled once by the catch-up through the
// PaymentGateway port, timed: by events (what a missed-webhooks catch-up does), then from an
// empty mirror by the object lists (what a new mirror does). Then, alternating in the same run,
// reconciliation as the console runs it (over the mirror) and its floor: one SQL statement reading
// the same rows (the window's ledger rows and mirror rows, and the sagas). Target: the median
// reconciliation ≤ 2× the median SQL pass (issue 15), and < 10 s (seed case 4).
import { createPrismaClient } from '../../prisma/db';
import { MISMATCH_KINDS, reconcile, type ReconcileResult } from '../../finance/reconcile';
import { catchUp } from '../../finance/mirror/catch-up';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import { ensurePostgres, log } from '../lib/stack';
import { scratchDatabase } from '../lib/scratch-database';
import { BenchReport } from './report';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const TARGET_MS = 10_000;
const TARGET_RATIO = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TENANT = 'bench';
// Every N-th order carries one anomaly; the rest reconcile cleanly.
const EVERY = { charged: 701, incomplete: 503, twice: 907, orphan: 1009, amount: 401, unknown: 809, missing: 601 };

const line = (label: string, value: string) => console.log(`${label.padEnd(46)} ${value}`);
const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;

async function generate(db: ReturnType<typeof createPrismaClient>, from: Date, spanMs: number) {
  const step = spanMs / ORDERS;
  // Orders n = 1..ORDERS, evenly over the period; the provider object a few hundred ms after its ledger row.
  // A plain table, not TEMP: the pool may run the next statement on another connection.
  await db.$executeRawUnsafe(`
    CREATE UNLOGGED TABLE bench_orders AS
    SELECT n, 'BO-' || lpad(n::text, 6, '0') AS id,
           $1::timestamptz + make_interval(secs => (n - 1) * $2::float8 / 1000) AS at,
           (4000 + (n * 37) % 60000) AS total,
           a = 'charged' AS charged, a = 'incomplete' AS incomplete, a = 'twice' AS twice, a = 'orphan' AS orphan,
           a = 'amount' AS amount, a = 'unknown' AS unknown, a = 'missing' AS missing, a AS anomaly
      FROM generate_series(1, ${ORDERS}) AS n
      -- At most one anomaly per order, so each is found under its own kind and nothing else.
      CROSS JOIN LATERAL (SELECT COALESCE(CASE ${Object.entries(EVERY).map(([k, every]) => `WHEN n % ${every} = 0 THEN '${k}'`).join(' ')} END, 'none') AS a) AS pick
      `, from, step);
  await db.$executeRawUnsafe(`
    INSERT INTO payment_sagas (order_id, tenant_id, workflow_id, buyer_id, seller_id, total_cents, seller_cents, commission_cents, insurance_cents, status,
                               charge_id, transfer_id, insurance_id, started_at, ended_at, updated_at)
    SELECT id, '${TENANT}', 'payment-' || id, 'acheteur-' || (n % 997), 'vendeur-' || (n % 89), total, total - round(total * 0.12)::int, round(total * 0.12)::int,
           round(total * 0.005)::int,
           CASE WHEN charged OR orphan THEN 'failed' WHEN incomplete THEN 'compensation_incomplete' ELSE 'succeeded' END,
           CASE WHEN charged OR orphan THEN NULL ELSE 'ch_bench_' || n END, CASE WHEN charged OR orphan THEN NULL ELSE 'tr_bench_' || n END,
           CASE WHEN charged OR orphan OR incomplete THEN NULL ELSE 'ii_bench_' || n END, at, at + interval '5 seconds', at + interval '5 seconds'
      FROM bench_orders`);
  // Ledger: charge, transfer, insurance (a failed insurance, a failed reversal and a refund for the incomplete ones).
  await db.$executeRawUnsafe(`
    INSERT INTO ledger_entries (tenant_id, order_id, workflow_id, kind, idempotency_key, provider_id, related_provider_id, amount_cents, status, created_at, updated_at)
    SELECT '${TENANT}', id, 'payment-' || id, k.kind, k.prefix || id,
           CASE WHEN k.status = 'succeeded' THEN k.pid || n ELSE NULL END, k.related, k.amount, k.status, at + k.offs, at + k.offs + interval '400 ms'
      FROM bench_orders o
      CROSS JOIN LATERAL (VALUES
        ('charge', 'charge-', 'ch_bench_', NULL::text, o.total, CASE WHEN o.charged THEN 'pending' WHEN o.orphan THEN 'failed' ELSE 'succeeded' END, interval '0 s'),
        ('transfer', 'transfert-', 'tr_bench_', 'ch_bench_' || o.n, o.total - round(o.total * 0.12)::int, CASE WHEN o.charged OR o.orphan THEN NULL ELSE 'succeeded' END, interval '1 s'),
        ('insurance', 'assurance-', 'ii_bench_', NULL, round(o.total * 0.005)::int, CASE WHEN o.charged OR o.orphan THEN NULL WHEN o.incomplete THEN 'failed' ELSE 'succeeded' END, interval '2 s'),
        ('transfer_reversal', 'inversion-transfert-', 'trr_bench_', 'tr_bench_' || o.n, o.total - round(o.total * 0.12)::int, CASE WHEN o.incomplete THEN 'failed' END, interval '3 s'),
        ('refund', 'remboursement-', 're_bench_', 'ch_bench_' || o.n, o.total, CASE WHEN o.incomplete THEN 'succeeded' END, interval '4 s'),
        ('refund', 'remboursement-console-', 're_bench_c', 'ch_bench_' || o.n, round(o.total * 0.2)::int, CASE WHEN o.twice THEN 'succeeded' END, interval '60 s')
      ) AS k(kind, prefix, pid, related, amount, status, offs)
     WHERE k.status IS NOT NULL`);
  // The provider: what the ledger says succeeded — except the anomalies — plus what it never heard of.
  await db.$executeRawUnsafe(`
    INSERT INTO provider_objects (id, kind, idempotency_key, request_fingerprint, status, amount_cents, source_id, order_id, metadata, created_at)
    SELECT l.provider_id, l.kind, l.idempotency_key, 'bench', 'succeeded',
           CASE WHEN o.amount AND l.kind = 'insurance' THEN l.amount_cents + 5 ELSE l.amount_cents END,
           l.related_provider_id, l.order_id, jsonb_build_object('idempotencyKey', l.idempotency_key, 'commandeId', l.order_id, 'tenantId', l.tenant_id), l.created_at + interval '200 ms'
      FROM ledger_entries l JOIN bench_orders o ON o.id = l.order_id
     WHERE l.tenant_id = '${TENANT}' AND l.status = 'succeeded' AND NOT (o.missing AND l.kind = 'transfer')`);
  await db.$executeRawUnsafe(`
    INSERT INTO provider_objects (id, kind, idempotency_key, request_fingerprint, status, amount_cents, source_id, order_id, metadata, created_at)
    SELECT 'ch_bench_' || n, 'charge', 'charge-' || id, 'bench', 'succeeded', total, NULL, id, jsonb_build_object('idempotencyKey', 'charge-' || id, 'commandeId', id, 'tenantId', '${TENANT}'), at + interval '200 ms'
      FROM bench_orders WHERE charged
    UNION ALL
    SELECT 'tr_bench_orphan' || n, 'transfer', 'dashboard-transfer-' || id, 'bench', 'succeeded', 2500, NULL, id, jsonb_build_object('commandeId', id), at + interval '30 s'
      FROM bench_orders WHERE orphan
    UNION ALL
    SELECT 're_bench_d' || n, 'refund', 'dashboard-refund-' || id, 'bench', 'succeeded', round(total * 0.2)::int, 'ch_bench_' || n, id, jsonb_build_object('commandeId', id), at + interval '90 s'
      FROM bench_orders WHERE twice
    UNION ALL
    SELECT 're_bench_u' || n, 'refund', 'dashboard-refund-u-' || id, 'bench', 'succeeded', 1500, 'ch_bench_' || n, id, jsonb_build_object('commandeId', id), at + interval '90 s'
      FROM bench_orders WHERE unknown`);
  await db.$executeRawUnsafe('ANALYZE');
  const planted = await db.$queryRawUnsafe<Array<{ anomaly: string; n: bigint }>>('SELECT anomaly, count(*) AS n FROM bench_orders GROUP BY anomaly');
  const KIND_OF: Record<string, string> = {
    charged: 'charged_without_outcome', incomplete: 'compensation_incomplete', twice: 'refunded_twice', orphan: 'transfer_without_charge',
    amount: 'amount_differs', unknown: 'unknown_to_ledger', missing: 'status_differs',
  };
  return Object.fromEntries(planted.filter((p) => KIND_OF[p.anomaly]).map((p) => [KIND_OF[p.anomaly]!, Number(p.n)]));
}

async function main() {
  if (!Number.isInteger(ORDERS) || ORDERS < 1_000) throw new Error('BENCH_ORDERS must be an integer ≥ 1000');
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    const pg = await ensurePostgres('postgres');
    cleanups.push(pg.stop);
    const database = await scratchDatabase(pg.url, 'vigie_bench_reconcile');
    const databaseUrl = database.url;
    cleanups.push(database.drop);
    log(`database ${database.name} migrated`);
    const db = createPrismaClient(databaseUrl, { max: 8 });
    cleanups.push(() => db.$disconnect());

    const from = new Date(Date.UTC(2026, 0, 5));
    const to = new Date(from.getTime() + 86_400_000);
    const t0 = performance.now();
    const expected = await generate(db, from, 86_400_000 - 120_000);
    const objects = await db.providerObject.count();
    const ledgerRows = await db.ledgerEntry.count({ where: { tenantId: TENANT } });
    log(`generated ${ORDERS} orders: ${ledgerRows} ledger rows, ${objects} provider objects in ${ms(performance.now() - t0)}`);

    const gateway = new LocalPaymentGateway(db);
    const since = new Date(from.getTime() - 86_400_000);
    const byEvents = await catchUp(db, gateway, { mode: 'events', since });
    const events = await db.mirrorEvent.count();
    await db.$executeRawUnsafe('TRUNCATE mirror_objects');
    const byObjects = await catchUp(db, gateway, { mode: 'objects', since });
    const mirrored = await db.mirrorObject.count();
    await db.$executeRawUnsafe('VACUUM ANALYZE mirror_objects');

    const windowFrom = new Date(from.getTime() - 86_400_000);
    const windowTo = new Date(to.getTime() + 86_400_000);
    const now = new Date(to.getTime() + 86_400_000);
    const sqlPass = async () => {
      const s0 = performance.now();
      const rows = await db.$queryRaw<unknown[]>`
        SELECT 'ledger' AS side, id::text AS id, order_id, kind, idempotency_key, provider_id, related_provider_id AS source_id, amount_cents, status, created_at, updated_at
          FROM ledger_entries WHERE tenant_id = ${TENANT} AND created_at >= ${windowFrom} AND created_at < ${windowTo}
        UNION ALL
        SELECT 'mirror', id, order_id, kind, idempotency_key, tenant_id, source_id, amount_cents, status, created_at, state_at
          FROM mirror_objects WHERE created_at >= ${windowFrom} AND created_at < ${windowTo} AND NOT deleted AND (tenant_id = ${TENANT} OR tenant_id IS NULL)
        UNION ALL
        SELECT 'saga', workflow_id, order_id, status, buyer_id, charge_id, transfer_id, total_cents, seller_id, started_at, ended_at
          FROM payment_sagas WHERE tenant_id = ${TENANT} AND started_at >= ${windowFrom} AND started_at < ${windowTo}`;
      return { ms: performance.now() - s0, rows: rows.length };
    };
    const runs: ReconcileResult[] = [];
    const sql: Array<{ ms: number; rows: number }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternating, the SQL pass first on odd rounds, so neither always follows the other.
      if (i % 2) sql.push(await sqlPass());
      runs.push(await reconcile(db, gateway, { tenantId: TENANT, from, to, now, mirrorMaxAgeMs: 3_600_000 }));
      if (!(i % 2)) sql.push(await sqlPass());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const reconcileMs = median(runs.map((x) => x.timings.totalMs));
    const sqlMs = median(sql.map((x) => x.ms));
    const ratio = reconcileMs / sqlMs;

    const r = runs.at(-1)!;
    console.log('');
    line('orders in the period', String(r.counts.orders));
    line('ledger rows / provider objects (ours)', `${r.counts.ledgerRows} / ${r.counts.providerObjects}; the SQL pass reads ${sql[0]!.rows} rows (ledger, mirror, sagas)`);
    line('catch-up by events (webhooks missed)', `${ms(byEvents.ms)}: ${events} events in ${byEvents.pages} pages of 100, stored and applied`);
    line('catch-up of an empty mirror by object lists', `${ms(byObjects.ms)}: ${mirrored} objects in ${byObjects.pages} pages of 100`);
    for (const [i, run] of runs.entries()) {
      line(`round ${i + 1}${i === 0 ? ' (cold)' : ''}: reconcile / SQL pass`, `${ms(run.timings.totalMs)} (sync ${ms(run.timings.syncMs)}, read ${ms(run.timings.readMs)}, compare ${ms(run.timings.compareMs)}) / ${ms(sql[i]!.ms)}`);
    }
    line('median reconcile / median SQL pass', `${ms(reconcileMs)} / ${ms(sqlMs)} = ${ratio.toFixed(2)}×${ratio <= TARGET_RATIO ? `  ✓ ≤ ${TARGET_RATIO}×` : `  ✗ target ${TARGET_RATIO}× missed`}${reconcileMs < TARGET_MS ? '' : '  ✗ over 10 s'}`);
    console.log('');
    let ok = true;
    for (const kind of MISMATCH_KINDS) {
      const found = r.totals[kind].count;
      const want = expected[kind] ?? 0;
      if (found !== want) ok = false;
      line(`  ${kind}`, `${found} found, ${want} planted${found === want ? '' : '  ✗'}`);
    }
    // A missed target is a figure (npm run bench shows it ✗); a wrong answer is a failure.
    if (!ok) process.exitCode = 1;
    const report = new BenchReport('reconcile', { orders: r.counts.orders });
    report.ratio(`reconcile ${r.counts.orders.toLocaleString('en')} orders over the mirror vs one SQL pass (median)`, reconcileMs, sqlMs, 'ms', { kind: 'max', limit: TARGET_RATIO });
    report.figure('reconcile, median', reconcileMs, 'ms', { kind: 'max', limit: TARGET_MS });
    report.figure('catch-up by events, once', byEvents.ms, 'ms');
    report.figure('catch-up of an empty mirror by object lists, once', byObjects.ms, 'ms');
    report.save();
  } finally {
    await cleanUp();
  }
}

await main();
