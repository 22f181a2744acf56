import { describe, expect, it } from 'vitest';
import { formatTable } from './table';
import { BenchReport } from './report';

describe('the bench table', () => {
  it('prints figure, baseline, ratio, target and verdict, and counts the targets met', () => {
    const report = new BenchReport('console');
    report.ratio('trial list HTML p50', 60, 40, 'ms', { kind: 'max', limit: 1.5 });
    report.ratio('trial list loader p50', 50, 40, 'ms', { kind: 'max', limit: 1.2 });
    report.figure('workflow starts', 250, 'starts/s', { kind: 'min', limit: 200 });
    report.figure('load average', 3.2, '');
    const table = formatTable([report.save({})]);
    const lines = table.split('\n');
    expect(lines[1]).toMatch(/^console\s+trial list HTML p50\s+60\.0 ms\s+40\.0 ms\s+1\.50×\s+≤ 1\.5×\s+✓$/);
    expect(lines[2]).toMatch(/1\.25×\s+≤ 1\.2×\s+✗$/);
    expect(lines[3]).toMatch(/250 starts\/s\s+≥ 200 starts\/s\s+✓$/);
    expect(lines[4]).toMatch(/load average\s+3\.20$/);
    expect(lines.at(-1)).toBe('2 of 3 targets met');
  });

  it('shows the previous run beside each figure, and "new" for a figure it did not have', () => {
    const before = new BenchReport('ingest');
    before.ratio('stored events/s vs raw', 9_000, 45_000, 'events/s', { kind: 'min', limit: 0.7 });
    const now = new BenchReport('ingest');
    now.ratio('stored events/s vs raw', 36_000, 45_000, 'events/s', { kind: 'min', limit: 0.7 });
    now.figure('p95 transition to console', 120, 'ms', { kind: 'max', limit: 500 });
    const lines = formatTable([now.save({})], [before.save({})]).split('\n');
    expect(lines[0]).toMatch(/previous run$/);
    expect(lines[1]).toMatch(/0\.80×\s+≥ 0\.7×\s+✓\s+0\.20×$/);
    expect(lines[2]).toMatch(/✓\s+new$/);
  });
});
