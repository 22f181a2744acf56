// Per-API-key token buckets, in memory: each console process limits on its own, so behind N
// processes a key gets up to N times the rate. Good enough to stop a runaway storefront loop;
// a shared limit would need PostgreSQL or Redis on every request.
import { z } from 'zod';

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

export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    public config: RateLimitConfig,
    private now: () => number = () => performance.now(),
  ) {}

  /** Takes a token; when none is left, says how many seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    const { perSecond, burst } = this.config;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.prune(now);
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
  }

  // A full bucket is the same as no bucket: drop those now and then so memory follows active keys.
  private prune(now: number) {
    if (this.buckets.size < 10_000) return;
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.config.perSecond >= this.config.burst) this.buckets.delete(k);
    }
  }

  reset() {
    this.buckets.clear();
  }
}

const g = globalThis as unknown as { __vigieIngestBuckets?: TokenBuckets };
export function ingestRateLimiter(): TokenBuckets {
  g.__vigieIngestBuckets ??= new TokenBuckets(configFromEnv());
  return g.__vigieIngestBuckets;
}
