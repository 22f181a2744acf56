// POST /api/v1/stripe-webhooks: the payment provider's events (Stripe, or the local stand-in's forwarder), signed.
import type { ActionFunctionArgs } from '@remix-run/node';
import { handleStripeWebhook } from '~/finance/webhooks.server';

export const action = ({ request }: ActionFunctionArgs) => handleStripeWebhook(request);
export const loader = ({ request }: ActionFunctionArgs) => handleStripeWebhook(request);
