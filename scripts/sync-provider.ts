// `npm run sync:provider`: one catch-up of the provider mirror (finance/mirror/catch-up.ts) into
// DATABASE_URL's database, through the payment gateway PAYMENT_GATEWAY names: the provider's
// events since the cursor, or its objects when the mirror is new or the cursor too old. For a
// scheduler (cron, a Kubernetes CronJob) beside the webhooks; reconciliations also catch up by
// themselves when the mirror is older than five minutes. `--objects` relists the objects.
import { z } from 'zod';
import { catchUp } from '../finance/mirror/catch-up';
import { createPrismaClient } from '../prisma/db';
import { paymentEnvShape, paymentGatewayFromEnv, refinePaymentEnv } from '../ports/from-env';
import { EnvError, parseEnv } from '../temporal/config';

try {
  const env = parseEnv(
    z
      .object({ ...paymentEnvShape, DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').default('postgresql://postgres@127.0.0.1:5432/vigie') })
      .superRefine(refinePaymentEnv),
  );
  const db = createPrismaClient(env.DATABASE_URL, { max: 4 });
  try {
    const r = await catchUp(db, paymentGatewayFromEnv(env, db), process.argv.includes('--objects') ? { mode: 'objects' } : {});
    console.log(
      `provider mirror caught up by ${r.mode} since ${r.since} in ${(r.ms / 1000).toFixed(2)} s: ${r.pages} page(s), ${r.stored} new ${r.mode === 'events' ? 'event(s)' : 'object state(s)'}, ` +
        `${r.applied} event(s) applied${r.failed ? `, ${r.failed} failed (kept for the next pass; see mirror_events.last_error)` : ''}`,
    );
    if (r.failed) process.exitCode = 1;
  } finally {
    await db.$disconnect();
  }
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
