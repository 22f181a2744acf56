// The payment gateway for processes other than the worker (the console, scripts): the same
// choice as temporal/worker.ts's portsFromEnv, from the same variables, without loading the
// worker's native runtime into the console. Keep the two in step.
import { z } from 'zod';
import type { Db } from '../prisma/db';
import { parseEnv } from '../temporal/config';
import { LocalPaymentGateway } from './local-gateway';
import type { PaymentGateway } from './payment-gateway';
import { StripeGateway } from './stripe-gateway';

const gatewayEnvSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    PAYMENT_GATEWAY: z.enum(['local', 'stripe']).optional(),
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    STRIPE_INSURANCE_CUSTOMER_ID: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    // Refunds from a production console must never silently go to the local stand-in.
    if (env.NODE_ENV === 'production' && !env.PAYMENT_GATEWAY) ctx.addIssue({ code: 'custom', path: ['PAYMENT_GATEWAY'], message: 'required in production (local|stripe)' });
    if (env.PAYMENT_GATEWAY === 'stripe') {
      if (!env.STRIPE_SECRET_KEY) ctx.addIssue({ code: 'custom', path: ['STRIPE_SECRET_KEY'], message: 'required when PAYMENT_GATEWAY=stripe' });
      if (!env.STRIPE_INSURANCE_CUSTOMER_ID) ctx.addIssue({ code: 'custom', path: ['STRIPE_INSURANCE_CUSTOMER_ID'], message: 'required when PAYMENT_GATEWAY=stripe' });
    }
  });

export function paymentGatewayFromEnv(db: Db, source: Record<string, string | undefined> = process.env): PaymentGateway {
  const env = parseEnv(gatewayEnvSchema, source as NodeJS.ProcessEnv);
  return env.PAYMENT_GATEWAY === 'stripe'
    ? new StripeGateway({ secretKey: env.STRIPE_SECRET_KEY!, insuranceCustomerId: env.STRIPE_INSURANCE_CUSTOMER_ID! })
    : new LocalPaymentGateway(db);
}
