// The console's payment gateway, one per process: refunds, compensation retries and
// reconciliation go through the same PaymentGateway port as the worker, chosen by the same
// variables (PAYMENT_GATEWAY, STRIPE_*; temporal/finance/gateway.ts).
import { paymentGatewayFromEnv } from '../../temporal/finance/gateway';
import type { PaymentGateway } from '../../temporal/ports/payment-gateway';
import { db } from './db.server';

const g = globalThis as unknown as { __vigiePayments?: PaymentGateway };

export function paymentGateway(): PaymentGateway {
  g.__vigiePayments ??= paymentGatewayFromEnv(db());
  return g.__vigiePayments;
}
