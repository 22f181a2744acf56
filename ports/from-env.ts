// The one place that chooses adapters from the environment, for the worker and the console
// alike: the variables (PAYMENT_GATEWAY, STRIPE_*, MAILER, RESEND_API_KEY, MAIL_FROM), their
// rules, and the adapter each choice builds. The worker and the console extend their own env
// schema with these shapes, so a bad value stops either process at start.
import { z } from 'zod';
import type { Db } from '../prisma/db';
import { LocalPaymentGateway } from './local-gateway';
import { LocalMailer } from './local-mailer';
import { LocalSalesAlerter } from './local-sales-alerter';
import type { Mailer } from './mailer';
import type { PaymentGateway } from './payment-gateway';
import { ResendMailer } from './resend-mailer';
import type { SalesAlerter } from './sales-alerter';
import { StripeGateway } from './stripe-gateway';

export const paymentEnvShape = {
  NODE_ENV: z.string().optional(),
  PAYMENT_GATEWAY: z.enum(['local', 'stripe']).optional(),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_INSURANCE_CUSTOMER_ID: z.string().min(1).optional(),
};
export const mailerEnvShape = {
  MAILER: z.enum(['local', 'resend']).optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).optional(),
};

type PaymentEnv = { NODE_ENV?: string; PAYMENT_GATEWAY?: 'local' | 'stripe'; STRIPE_SECRET_KEY?: string; STRIPE_INSURANCE_CUSTOMER_ID?: string };
type MailerEnv = { NODE_ENV?: string; MAILER?: 'local' | 'resend'; RESEND_API_KEY?: string; MAIL_FROM?: string };

function requireIn(env: Record<string, unknown>, ctx: z.RefinementCtx, name: string, why: string) {
  if (!env[name]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: `required ${why}` });
}

/** In production a missing choice must not silently fall back to fake payments. */
export function refinePaymentEnv(env: PaymentEnv, ctx: z.RefinementCtx) {
  const e = env as Record<string, unknown>;
  if (env.NODE_ENV === 'production') requireIn(e, ctx, 'PAYMENT_GATEWAY', 'in production (local|stripe)');
  if (env.PAYMENT_GATEWAY === 'stripe') {
    requireIn(e, ctx, 'STRIPE_SECRET_KEY', 'when PAYMENT_GATEWAY=stripe');
    requireIn(e, ctx, 'STRIPE_INSURANCE_CUSTOMER_ID', 'when PAYMENT_GATEWAY=stripe (the insurer customer billed for insurance)');
  }
}

/** In production a missing choice must not silently fall back to the local outbox. */
export function refineMailerEnv(env: MailerEnv, ctx: z.RefinementCtx) {
  const e = env as Record<string, unknown>;
  if (env.NODE_ENV === 'production') requireIn(e, ctx, 'MAILER', 'in production (local|resend)');
  if (env.MAILER === 'resend') {
    requireIn(e, ctx, 'RESEND_API_KEY', 'when MAILER=resend');
    requireIn(e, ctx, 'MAIL_FROM', 'when MAILER=resend');
  }
}

export function paymentGatewayFromEnv(env: PaymentEnv, db: Db): PaymentGateway {
  return env.PAYMENT_GATEWAY === 'stripe'
    ? new StripeGateway({ secretKey: env.STRIPE_SECRET_KEY!, insuranceCustomerId: env.STRIPE_INSURANCE_CUSTOMER_ID! })
    : new LocalPaymentGateway(db);
}

export function mailerFromEnv(env: MailerEnv, db: Db): Mailer {
  return env.MAILER === 'resend' ? new ResendMailer({ apiKey: env.RESEND_API_KEY!, from: env.MAIL_FROM! }) : new LocalMailer(db, env.MAIL_FROM);
}

/** Every port the activities need, as the environment chooses them. */
export function portsFromEnv(env: PaymentEnv & MailerEnv, db: Db): { payments: PaymentGateway; mailer: Mailer; sales: SalesAlerter } {
  return { payments: paymentGatewayFromEnv(env, db), mailer: mailerFromEnv(env, db), sales: new LocalSalesAlerter(db) };
}
