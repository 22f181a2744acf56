// `npm run chaos`: the full chaos run (scripts/lib/chaos.ts) on a scratch database of its own —
// 200 trials and 200 payment sagas, the worker SIGKILLed 12 times, the Temporal dev server restarted
// once, the worker's and console's PostgreSQL connections cut once — then the table of exact counts.
// Sizes: --trials=N --sagas=N --kills=N --day-ms=N (or CHAOS_TRIALS, CHAOS_SAGAS, CHAOS_KILLS, CHAOS_DAY_MS).
// Exits 1 on any difference; the failed run's database is kept for reading and named.
import { parseArgs } from 'node:util';
import { formatChaosTable, runChaos } from './lib/chaos';
import { ensurePostgres, log } from './lib/stack';
import { scratchDatabase } from './lib/scratch-database';

const { values } = parseArgs({
  options: { trials: { type: 'string' }, sagas: { type: 'string' }, kills: { type: 'string' }, 'day-ms': { type: 'string' } },
});
function size(flag: string | undefined, variable: string, fallback: number, min: number) {
  const raw = flag ?? process.env[variable];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${variable} (or its flag) must be an integer ≥ ${min}, got ${raw}`);
  return n;
}
const sizes = {
  trials: size(values.trials, 'CHAOS_TRIALS', 200, 8),
  sagas: size(values.sagas, 'CHAOS_SAGAS', 200, 6),
  kills: size(values.kills, 'CHAOS_KILLS', 12, 2),
  dayMs: size(values['day-ms'], 'CHAOS_DAY_MS', 2_000, 200),
};

const pgHandle = await ensurePostgres('postgres');
const database = await scratchDatabase(pgHandle.url, 'vigie_chaos');
process.env.DATABASE_URL = database.url;
log(`chaos: ${sizes.trials} trials, ${sizes.sagas} sagas, ${sizes.kills} worker kills, a day of ${sizes.dayMs} ms; database ${database.name}`);
let ok = false;
try {
  const report = await runChaos({ ...sizes, workMs: [3_000, 6_000], settleTimeoutMs: 15 * 60_000, log: (line) => log(`${new Date().toISOString().slice(11, 19)} ${line}`) });
  console.log(`\n${formatChaosTable(report)}\n`);
  for (const r of report.rows.filter((x) => x.problems.length > 0)) console.log(`${r.ok ? 'ℹ' : '✗'} ${r.check}:\n  ${r.problems.join('\n  ')}`);
  console.log(`${report.ok ? 'PASS' : 'FAIL'}: ${report.rows.filter((r) => r.ok).length}/${report.rows.length} checks in ${report.seconds} s`);
  ok = report.ok;
} catch (error) {
  console.error(error);
} finally {
  if (ok) await database.drop();
  else log(`database ${database.name} kept for reading; drop it when done`);
  await pgHandle.stop();
}
process.exit(ok ? 0 : 1);
