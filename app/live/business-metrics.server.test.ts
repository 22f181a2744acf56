// /metrics against the real PostgreSQL and Temporal: the exposition passes `promtool check
// metrics`, a failed saga moves its gauge, only the machine itself (or a token) may read it; and
// the alert rules pass `promtool check rules` and their unit tests (ops/prometheus/).
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeOrder, makeTenant } from '../../test-support/factories';
import { loader } from '../routes/metrics';
import { forgetBusinessNumbers } from './business-metrics.server';

const OPS = fileURLToPath(new URL('../../ops/prometheus/', import.meta.url));
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

function promtool(args: string[], input?: string) {
  const r = spawnSync(PROMTOOL, args, { cwd: OPS, input, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool is needed (Debian package prometheus: apt-get install -y prometheus): ${r.error.message}`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

async function scrape(clientAddress = '127.0.0.1', headers: Record<string, string> = {}) {
  const res = await loader({ request: new Request('http://console.test/metrics', { headers }), params: {}, context: { clientAddress, cspNonce: '' } });
  return { status: res.status, body: await res.text() };
}

const sample = (body: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}\\{${labels.replace(/[{}]/g, '')}\\} (\\S+)$`, 'm').exec(body)?.[1] ?? NaN);

describe('/metrics', () => {
  it('exposes valid Prometheus text that promtool accepts', async () => {
    const { status, body } = await scrape();
    expect(status).toBe(200);
    expect(body).toMatch(/^# TYPE vigie_sagas gauge$/m);
    expect(body).toMatch(/^# TYPE vigie_console_process_cpu_user_seconds_total counter$/m);
    // promtool lints three of prom-client's own default gauges for their "_total" suffix (names
    // prom-client chose; dashboards expect them): every other metric, Vigie's all, must be clean.
    const problems = promtool(['check', 'metrics'], body).out.split('\n').filter(Boolean)
      .filter((line) => !/^vigie_console_nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/.test(line));
    expect(problems).toEqual([]);
  });

  it('moves the saga gauge of the tenant whose saga ended in compensation_incomplete, and no other', async () => {
    const tenant = await makeTenant('Metrics');
    const other = await makeTenant('Metrics other');
    forgetBusinessNumbers();
    const before = await scrape();
    expect(sample(before.body, 'vigie_sagas', `tenant="${tenant.id}",status="compensation_incomplete"`)).toBeNaN();
    await makeOrder(tenant.id, { status: 'compensation_incomplete', steps: [{ kind: 'charge' }, { kind: 'transfer', ledger: 'failed' }, { kind: 'refund', ledger: 'failed' }] });
    forgetBusinessNumbers();
    const after = await scrape();
    expect(sample(after.body, 'vigie_sagas', `tenant="${tenant.id}",status="compensation_incomplete"`)).toBe(1);
    expect(sample(after.body, 'vigie_sagas', `tenant="${other.id}",status="compensation_incomplete"`)).toBeNaN();
  });

  it('answers 404 to anyone but the machine itself when no token is set', async () => {
    expect((await scrape('203.0.113.9')).status).toBe(404);
  });
});

describe('alert rules (ops/prometheus)', () => {
  it('pass promtool check rules', () => {
    const r = promtool(['check', 'rules', 'alerts.yml']);
    expect(r.out).toMatch(/SUCCESS: 5 rules found/);
    expect(r.code).toBe(0);
  });

  it('pass their unit tests (each alert fires on its series and stays quiet on healthy ones)', () => {
    const r = promtool(['test', 'rules', 'alerts.test.yml']);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.code).toBe(0);
  });

  it('are wired to metric names the console really exposes', async () => {
    const { body } = await scrape();
    const rules = execFileSync('cat', [path.join(OPS, 'alerts.yml')], { encoding: 'utf8' });
    for (const name of new Set(rules.match(/vigie_[a-z_0-9]+/g) ?? [])) expect(body, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
  });
});
