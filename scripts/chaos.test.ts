// `npm run chaos` at a small size, inside `npm test`: the same scenario (scripts/lib/chaos.ts) —
// every saga fault kind twice, a dozen trials, the worker SIGKILLed three times, the Temporal dev
// server restarted once, the worker's and console's PostgreSQL connections cut once, console
// actions over HTTP — and every row of its table must hold.
import { expect, it } from 'vitest';
import { formatChaosTable, runChaos } from './lib/chaos';

it('loses nothing, doubles nothing and keeps both processes up under kills, a server restart and cut connections', async () => {
  const report = await runChaos({ trials: 12, sagas: 12, kills: 3, workMs: [2_000, 4_000], dayMs: 1_000, settleTimeoutMs: 240_000 });
  console.log(`${formatChaosTable(report)}\n(${report.seconds} s)`);
  expect(report.rows.filter((r) => !r.ok)).toEqual([]);
  // The run really did what it says: every kind of work and every fault is in the table.
  expect(report.rows.map((r) => r.check)).toEqual(expect.arrayContaining([
    'trials plain: expired, all 6 emails', 'trials subscribed: converted', 'trials terminated: terminated by the console',
    'sagas failing_compensation: compensation incomplete, high incident (or in doubt)', 'worker SIGKILLs', 'console /healthz after the cut',
  ]));
}, 600_000);
