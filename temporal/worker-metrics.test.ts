// The worker process exposes the Temporal SDK's metrics in Prometheus format when
// WORKER_METRICS_ADDRESS is set, and promtool accepts them.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startWorkerProcess, stopProcess } from '../scripts/lib/stack';
import { waitFor } from '../test-support/temporal';
import { uid } from '../test-support/ids';

const children: Array<ReturnType<typeof startWorkerProcess>> = [];
afterAll(async () => {
  for (const c of children) await stopProcess(c);
});

describe('worker metrics', () => {
  it('serves the SDK metrics on WORKER_METRICS_ADDRESS, valid for promtool', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const worker = startWorkerProcess({ TEMPORAL_TASK_QUEUE: uid('metrics'), WORKER_METRICS_ADDRESS: address, PAYMENT_GATEWAY: 'local', MAILER: 'local' }, { quiet: true });
    children.push(worker);
    let body = '';
    await waitFor('worker metrics', async () => {
      if (worker.exitCode !== null) throw new Error(`the worker exited with code ${worker.exitCode}`);
      const res = await fetch(`http://${address}/metrics`).catch(() => null);
      body = res?.ok ? await res.text() : '';
      // Poller metrics appear once the worker polls its task queue.
      return /^temporal_num_pollers\b/m.test(body);
    }, 60_000, 250);
    const check = spawnSync(process.env.PROMTOOL ?? 'promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    if (check.error) throw new Error(`promtool is needed (apt-get install -y prometheus): ${check.error.message}`);
    // Exit 3 is promtool's "lint only": the SDK names some counters without "_total" (its names,
    // fixed by the SDK). Anything else — a parse error, a bad type — fails.
    const findings = `${check.stdout}${check.stderr}`.split('\n').filter(Boolean);
    expect([0, 3], findings.join('\n')).toContain(check.status);
    expect(findings.filter((l) => !/^temporal_\w+ counter metrics should have "_total" suffix$/.test(l))).toEqual([]);
  });
});
