// `npm run bench`: every bench, one after the other (each starts and stops its own services),
// then one table — figure, baseline, ratio, target, ✓/✗ — kept as JSON under .cache/bench/ so
// two runs can be compared (the previous run's compared number is shown beside each figure).
//
//   npm run bench                      all four, at their full sizes
//   npm run bench -- console ingest    only those
// Each bench's own variables still apply (BENCH_TRIALS, BENCH_EVENTS, …), as does its own
// script (`npm run bench:console` …), which prints the same figures without the table.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchFile } from './report';
import { formatTable } from './table';

const BENCHES = ['console', 'workflows', 'ingest', 'reconcile'] as const;
const DIR = join(process.cwd(), '.cache', 'bench');

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(BENCHES as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${BENCHES.join(', ')})`);
  process.exit(2);
}
const chosen = asked.length ? BENCHES.filter((b) => asked.includes(b)) : [...BENCHES];

function previousRun(): BenchFile[] | undefined {
  if (!existsSync(DIR)) return undefined;
  const runs = readdirSync(DIR).filter((f) => /^run-.*\.json$/.test(f)).sort();
  const last = runs.at(-1);
  return last ? (JSON.parse(readFileSync(join(DIR, last), 'utf8')) as { benches: BenchFile[] }).benches : undefined;
}

function run(bench: string, reportPath: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('scripts', 'bench', `${bench}.ts`)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_REPORT: reportPath },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const runId = new Date().toISOString().replace(/[:.]/g, '-');
const previous = previousRun();
mkdirSync(join(DIR, runId), { recursive: true });
const files: BenchFile[] = [];
const failed: string[] = [];
for (const bench of chosen) {
  console.log(`\n═══ bench:${bench} ═══`);
  const path = join(DIR, runId, `${bench}.json`);
  const code = await run(bench, path);
  if (code !== 0 || !existsSync(path)) failed.push(`${bench} (exit ${code})`);
  else files.push(JSON.parse(readFileSync(path, 'utf8')) as BenchFile);
}
const out = join(DIR, `run-${runId}.json`);
writeFileSync(out, `${JSON.stringify({ runId, benches: files, failed }, null, 2)}\n`);
console.log(`\n═══ npm run bench — ${runId} ═══\n`);
console.log(formatTable(files, previous));
console.log(`\nkept as ${out}${previous ? ' (compared with the run before it)' : ''}`);
if (failed.length) {
  console.error(`benches that did not finish: ${failed.join(', ')}`);
  process.exit(1);
}
