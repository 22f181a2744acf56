// Per-API-key token buckets kept in PostgreSQL, so every console process draws on the same
// bucket: behind N consoles a key still gets one rate, not N (docs/decisions/090). One upsert
// per request refills the bucket for the time since its last use and takes a token when one is
// there; the row lock serializes a key's concurrent requests, whatever process serves them.
import type pg from 'pg';
import { z } from 'zod';
import { ingestPool } from './store.server';

export interface RateLimitConfig {
  /** Requests a key may make per second, sustained. */
  perSecond: number;
  /** Requests a key may make at once after being idle. */
  burst: number;
}

const envSchema = z.object({
  INGEST_RATE_PER_SECOND: z.coerce.number().positive().default(50),
  INGEST_RATE_BURST: z.coerce.number().int().positive().default(100),
});

function configFromEnv(): RateLimitConfig {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Bad ingestion rate limit setting: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  return { perSecond: parsed.data.INGEST_RATE_PER_SECOND, burst: parsed.data.INGEST_RATE_BURST };
}

// $2 burst, $3 rate per second. EXCLUDED.at is this request's clock; the refill never goes negative
// when two processes' clocks read the same instant in either order.
const REFILLED = 'LEAST($2::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM EXCLUDED.at - b.at)) * $3::float8)';
const TAKE_SQL = `
  INSERT INTO ingest_rate_buckets AS b (key_id, tokens, granted, at)
  VALUES ($1, $2::float8 - 1, true, clock_timestamp())
  ON CONFLICT (key_id) DO UPDATE SET
    tokens = ${REFILLED} - CASE WHEN ${REFILLED} >= 1 THEN 1 ELSE 0 END,
    granted = ${REFILLED} >= 1,
    at = GREATEST(b.at, EXCLUDED.at)
  RETURNING tokens, granted`;

export class SharedTokenBuckets {
  constructor(
    public config: RateLimitConfig,
    private pool: () => pg.Pool = ingestPool,
  ) {}

  /** Takes a token from the key's shared bucket; when none is left, says how many seconds until one is. */
  async take(key: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
    const { perSecond, burst } = this.config;
    const { rows } = await this.pool().query<{ tokens: number; granted: boolean }>(TAKE_SQL, [key, burst, perSecond]);
    const { tokens, granted } = rows[0];
    return granted ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
  }

  /** Refills every bucket (tests). */
  async reset() {
    await this.pool().query('DELETE FROM ingest_rate_buckets');
  }
}

const g = globalThis as unknown as { __vigieIngestBuckets?: SharedTokenBuckets };
export function ingestRateLimiter(): SharedTokenBuckets {
  g.__vigieIngestBuckets ??= new SharedTokenBuckets(configFromEnv());
  return g.__vigieIngestBuckets;
}
