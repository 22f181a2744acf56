// Stripe's webhook signatures, through the SDK: verify what the endpoint receives
// (constructEvent: HMAC over the timestamp and the raw body, five minutes' tolerance), and sign
// what the local stand-in sends, with the SDK's own test header helper, so both sides of the
// check are Stripe's code (docs/decisions/140-provider-mirror.md).
import Stripe from 'stripe';
import type { ProviderEvent } from './payment-gateway';

export const SIGNATURE_HEADER = 'stripe-signature';

/** The event, or a Stripe.errors.StripeSignatureVerificationError naming what is wrong. */
export function verifyStripeEvent(payload: string, signature: string, secret: string): ProviderEvent {
  return Stripe.webhooks.constructEvent(payload, signature, secret) as unknown as ProviderEvent;
}

export const isSignatureError = (error: unknown) => error instanceof Stripe.errors.StripeSignatureVerificationError;

/** A Stripe-Signature header for this payload, as Stripe would send it now. */
export function signStripePayload(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
}
