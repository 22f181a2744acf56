// The ingestion rate limit is one bucket per key whatever process serves the request: two
// limiters on two connection pools (two console processes) share it, exactly.
import { afterAll, describe, expect, it } from 'vitest';
import { createPgPool } from '../../prisma/db';
import { uid } from '../../test-support/ids';
import { SharedTokenBuckets } from './rate-limit.server';

const pools = [createPgPool({ connectionString: process.env.DATABASE_URL!, max: 4 }, 'test-a'), createPgPool({ connectionString: process.env.DATABASE_URL!, max: 4 }, 'test-b')];
afterAll(async () => {
  for (const p of pools) await p.end();
});

describe('the shared ingestion rate limit', () => {
  it('grants a key its burst once across two processes, taken at the same moment, and other keys their own', async () => {
    const config = { perSecond: 0.01, burst: 5 };
    const [a, b] = pools.map((p) => new SharedTokenBuckets(config, () => p));
    const key = uid('key');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).take(key)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, retryAfterSeconds: 100 });
    expect((await b.take(uid('other'))).ok).toBe(true);
  });

  it('refills for the time since the bucket was last used, up to the burst', async () => {
    const config = { perSecond: 0.5, burst: 3 };
    const [a, b] = pools.map((p) => new SharedTokenBuckets(config, () => p));
    const key = uid('key');
    expect(await Promise.all([a.take(key), b.take(key), a.take(key), b.take(key)]).then((rs) => rs.map((r) => r.ok).sort())).toEqual([false, true, true, true]);
    // As if 4 s had passed: two tokens back (0.5/s), then none.
    await pools[0].query(`UPDATE ingest_rate_buckets SET at = at - interval '4 seconds' WHERE key_id = $1`, [key]);
    expect((await a.take(key)).ok).toBe(true);
    expect((await b.take(key)).ok).toBe(true);
    expect(await a.take(key)).toMatchObject({ ok: false });
    // As if an hour had passed: the burst, not more.
    await pools[0].query(`UPDATE ingest_rate_buckets SET at = at - interval '1 hour' WHERE key_id = $1`, [key]);
    const after = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).take(key)));
    expect(after.filter((r) => r.ok)).toHaveLength(3);
  });
});
