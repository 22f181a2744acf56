// stripe-mock, Stripe's own mock of its API (it validates every request against Stripe's
// OpenAPI spec and answers with fixtures), for the tests of the Stripe adapter.
//
// Started per test file (in its beforeAll), not by the global setup: one file needs it, it
// starts in well under a second, and a file that starts its own mock runs alone the same way
// under `npm test`, a bare `npx vitest` or VIGIE_TEST_STACK=1. The binary is found like the
// Temporal CLI: `npm test` ensures it up front (scripts/vigie.sh exports STRIPE_MOCK), and
// scripts/ensure-stripe-mock.sh builds it on first use otherwise.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, spawnLogged, stopProcess, waitFor, waitForOutput } from './stack';

export function stripeMockBinary(): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts/ensure-stripe-mock.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export interface StripeMockHandle {
  host: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * Starts stripe-mock on a port of the system's choosing on 127.0.0.1 and waits until it
 * answers. `-http-addr 127.0.0.1:0` rather than `-http-port <free port>`: it listens on
 * loopback only, and no other process can take the port between our pick and its bind. It
 * prints the port it got. `-https-addr` too, because v0.203.0 still opens HTTPS on the fixed
 * port 12112 when only `-http-addr` is given (only `-http-port` turns that default off), and two
 * runs side by side would collide there. Its per-request log goes to .cache/stripe-mock.log.
 */
export async function startStripeMock(timeoutMs = 30_000): Promise<StripeMockHandle> {
  const host = '127.0.0.1';
  const child = spawnLogged('stripe-mock', stripeMockBinary(), ['-http-addr', `${host}:0`, '-https-addr', `${host}:0`], { quiet: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-10_000); });
  try {
    await waitForOutput(child, /Listening for HTTP at address: \S+:\d+/, 'stripe-mock to print its HTTP port', timeoutMs);
    const port = Number(/Listening for HTTP at address: \S+:(\d+)/.exec(output)![1]);
    // Any HTTP answer will do: without a key it is a 401 from stripe-mock itself.
    await waitFor(`stripe-mock on ${host}:${port}`, async () => {
      const res = await fetch(`http://${host}:${port}/v1/charges`).catch(() => null);
      return res !== null && res.headers.has('stripe-mock-version');
    }, timeoutMs);
    return { host, port, stop: () => stopProcess(child) };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}
