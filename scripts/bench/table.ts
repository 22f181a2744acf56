// The table `npm run bench` prints: one line per figure — figure, baseline, ratio, target, ✓/✗ —
// and, when an earlier run is on disk, how the compared number moved since.
import type { BenchFile, BenchRow } from './report';

const num = (n: number, unit: string) => {
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`.trim();
};

/** The number a target applies to: the ratio when there is a baseline, else the figure. */
export const compared = (row: BenchRow): number => row.ratio ?? row.value;

const key = (row: BenchRow) => `${row.bench} · ${row.measure}`;

function targetText(row: BenchRow): string {
  if (!row.target) return '';
  const op = row.target.kind === 'max' ? '≤' : '≥';
  return row.ratio === undefined ? `${op} ${num(row.target.limit, row.unit)}` : `${op} ${row.target.limit}×`;
}

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => [...r[i]!].length)));
  return cells.map((r) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd());
}

export function formatTable(files: BenchFile[], previous?: BenchFile[]): string {
  const before = new Map((previous ?? []).flatMap((f) => f.rows).map((r) => [key(r), r]));
  const header = ['bench', 'measure', 'figure', 'baseline', 'ratio', 'target', 'met', ...(previous ? ['previous run'] : [])];
  const rows = files.flatMap((f) => f.rows).map((r) => {
    const prev = before.get(key(r));
    return [
      r.bench,
      r.measure,
      num(r.value, r.unit),
      r.baseline === undefined ? '' : num(r.baseline, r.unit),
      r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
      targetText(r),
      r.met === undefined ? '' : r.met ? '✓' : '✗',
      ...(previous ? [prev ? (prev.ratio === undefined ? num(prev.value, prev.unit) : `${prev.ratio.toFixed(2)}×`) : 'new'] : []),
    ];
  });
  const targeted = files.flatMap((f) => f.rows).filter((r) => r.met !== undefined);
  const met = targeted.filter((r) => r.met).length;
  return [...pad([header, ...rows]), '', `${met} of ${targeted.length} targets met`].join('\n');
}
