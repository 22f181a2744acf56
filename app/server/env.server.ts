// The console's environment, validated once at start: a bad value stops the process
// with a message naming the variable.
import { z } from 'zod';
import { mailerEnvShape, paymentEnvShape, refineMailerEnv, refinePaymentEnv } from '../../ports/from-env';
import { parseEnv, temporalEnvSchema } from '../../temporal/config';

const schema = temporalEnvSchema
  .extend({
    ...paymentEnvShape,
    ...mailerEnvShape,
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z.string().url('must be a postgresql:// URL').refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgresql:// URL'),
    SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    // Cookies are marked Secure unless the console is served over plain http (local use).
    PUBLIC_URL: z.string().url().default('http://localhost:3000'),
    SESSION_TTL_HOURS: z.coerce.number().int().positive().default(12),
    // How long one console process may answer "who is this session" from memory (app/server/session-cache.server.ts):
    // a session revoked or a role changed by another process, or in the database, applies within this; 0: never remembered.
    SESSION_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(3_000),
    // How long one console process remembers which workflow ids a reset gave several runs (app/workflows/run-chains.server.ts):
    // a reset made elsewhere shows in the trials list's count and grouping within this; 0: read on every page.
    RUN_CHAINS_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
    LOGIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
    // /metrics wants this bearer token when set; unset, it answers loopback clients only.
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // The signing secret of /api/v1/stripe-webhooks (Stripe's endpoint secret; `npm start` makes one for the local stand-in).
    STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\S{16,}$/, 'must be the webhook endpoint’s signing secret (whsec_…)').optional(),
  })
  // The console refunds and retries compensations through the same payment port as the worker,
  // and reads sent emails back through the same mailer port (docs/decisions/080).
  .superRefine((env, ctx) => {
    refinePaymentEnv(env, ctx);
    refineMailerEnv(env, ctx);
    // Stripe's events feed the provider mirror that reconciliation reads (docs/decisions/140).
    if (env.PAYMENT_GATEWAY === 'stripe' && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['STRIPE_WEBHOOK_SECRET'], message: 'required when PAYMENT_GATEWAY=stripe (the provider mirror is fed by its webhooks)' });
    }
  });
export type Env = z.infer<typeof schema>;

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(schema);
  return cached;
}
