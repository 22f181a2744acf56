// Reachability of the two components the console cannot work without.
import { db } from './db.server';
import { temporal } from './temporal.server';
import { env } from './env.server';

export interface ComponentHealth { ok: boolean; ms: number; error?: string }
export interface Health { ok: boolean; postgres: ComponentHealth; temporal: ComponentHealth }

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))]);
}

async function probe(fn: () => Promise<unknown>): Promise<ComponentHealth> {
  const started = performance.now();
  try {
    await withTimeout(fn(), 2000);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message.split('\n')[0] };
  }
}

let last: { at: number; value: Promise<Health> } | undefined;

/**
 * Pages read the last known health and refresh it in the background at most every two
 * seconds, so no page waits on a probe but the first; /healthz always probes afresh.
 */
export async function cachedHealth(): Promise<Health> {
  const previous = last;
  if (!previous || Date.now() - previous.at >= 2000) {
    const fresh = checkHealth();
    if (!previous) return fresh;
    void fresh.catch(() => {});
  }
  return previous.value;
}

export function checkHealth(): Promise<Health> {
  const value = (async () => {
    const [postgres, t] = await Promise.all([
      probe(() => db().$queryRaw`SELECT 1`),
      probe(async () => {
        const client = await temporal();
        await client.connection.workflowService.describeNamespace({ namespace: env().TEMPORAL_NAMESPACE });
      }),
    ]);
    return { ok: postgres.ok && t.ok, postgres, temporal: t };
  })();
  last = { at: Date.now(), value };
  return value;
}
