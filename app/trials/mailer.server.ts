// The console's mailer, one per process: the trial page reads sent emails back through the same
// Mailer port as the worker sends them, chosen by the same variables (MAILER, RESEND_API_KEY,
// MAIL_FROM; ports/from-env.ts).
import { mailerFromEnv } from '../../ports/from-env';
import type { Mailer } from '../../ports/mailer';
import { db } from '../server/db.server';
import { env } from '../server/env.server';

const g = globalThis as unknown as { __vigieMailer?: Mailer };

export function mailer(): Mailer {
  g.__vigieMailer ??= mailerFromEnv(env(), db());
  return g.__vigieMailer;
}
