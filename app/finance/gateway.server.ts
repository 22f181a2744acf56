// The console's payment gateway, one per process: refunds, compensation retries and
// reconciliation go through the same PaymentGateway port as the worker, chosen by the same
// variables (PAYMENT_GATEWAY, STRIPE_*; ports/from-env.ts).
import { paymentGatewayFromEnv } from '../../ports/from-env';
import type { PaymentGateway } from '../../ports/payment-gateway';
import { db } from '../server/db.server';
import { env } from '../server/env.server';

const g = globalThis as unknown as { __vigiePayments?: PaymentGateway };

export function paymentGateway(): PaymentGateway {
  g.__vigiePayments ??= paymentGatewayFromEnv(env(), db());
  return g.__vigiePayments;
}
