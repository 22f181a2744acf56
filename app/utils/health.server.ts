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

/** Cached for two seconds so a burst of page loads probes once. */
export function checkHealth(): Promise<Health> {
  if (last && Date.now() - last.at < 2000) return last.value;
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
