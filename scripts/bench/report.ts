// One shape for every bench's figures, so `npm run bench` can print one table and keep it as
// JSON. Each bench still prints its own lines; it also records a row per measured figure here.
// When it runs under `npm run bench` (BENCH_REPORT names a file), the rows are written there
// at the end; alone, nothing is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus, loadavg } from 'node:os';

/** How a figure compares with its target: at most (a time, a ratio) or at least (a rate). */
export type TargetKind = 'max' | 'min';

export interface BenchRow {
  bench: string;
  measure: string;
  /** The figure as measured, in `unit`. */
  value: number;
  unit: string;
  /** The like-for-like baseline measured in the same run, when the target is a ratio to it. */
  baseline?: number;
  /** value / baseline, when there is a baseline. */
  ratio?: number;
  /** The target: applies to the ratio when there is a baseline, else to the value. */
  target?: { kind: TargetKind; limit: number };
  /** Whether the target is met; absent when the figure has no target (shown for context). */
  met?: boolean;
  note?: string;
}

export interface BenchFile {
  bench: string;
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; loadAverageAtEnd: number[] };
  parameters: Record<string, string | number>;
  rows: BenchRow[];
}

export function verdict(compared: number, target: { kind: TargetKind; limit: number }): boolean {
  return target.kind === 'max' ? compared <= target.limit : compared >= target.limit;
}

export class BenchReport {
  private readonly rows: BenchRow[] = [];
  private readonly startedAt = new Date().toISOString();

  constructor(readonly bench: string, private readonly parameters: Record<string, string | number> = {}) {}

  /** A figure with no baseline: the target, if any, applies to the value itself. */
  figure(measure: string, value: number, unit: string, target?: { kind: TargetKind; limit: number }, note?: string): BenchRow {
    return this.push({ bench: this.bench, measure, value, unit, target, met: target ? verdict(value, target) : undefined, note });
  }

  /** A figure against its baseline measured in the same run: the target applies to the ratio. */
  ratio(measure: string, value: number, baseline: number, unit: string, target?: { kind: TargetKind; limit: number }, note?: string): BenchRow {
    const ratio = value / baseline;
    return this.push({ bench: this.bench, measure, value, unit, baseline, ratio, target, met: target ? verdict(ratio, target) : undefined, note });
  }

  private push(row: BenchRow): BenchRow {
    this.rows.push(row);
    return row;
  }

  /** Writes the rows where `npm run bench` asked (BENCH_REPORT); a no-op when the bench runs alone. */
  save(env: Record<string, string | undefined> = process.env): BenchFile {
    const file: BenchFile = {
      bench: this.bench,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))) },
      parameters: this.parameters,
      rows: this.rows,
    };
    const path = env.BENCH_REPORT;
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
    }
    return file;
  }
}
