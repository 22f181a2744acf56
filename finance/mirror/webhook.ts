// One webhook delivery from the payment provider: the signature checked by the Stripe SDK
// (ports/stripe-webhooks.ts) against the endpoint's secret, the event stored raw once per id, and
// nothing else before the answer; applying it to the mirror is the caller's next step, after
// answering (inbox.ts). A missing or bad signature, or a body that is no event, stores nothing.
import type { Db } from '../../prisma/db';
import type { ProviderEvent } from '../../ports/payment-gateway';
import { isSignatureError, verifyStripeEvent } from '../../ports/stripe-webhooks';
import { storeEvents } from './inbox';

export type WebhookAnswer =
  | { status: 200; body: { received: true; id: string; duplicate: boolean } }
  | { status: 400; body: { error: string } };

const refuse = (error: string): WebhookAnswer => ({ status: 400, body: { error } });

function eventProblem(e: ProviderEvent): string | null {
  if (typeof e.id !== 'string' || !/^evt_\w{1,200}$/.test(e.id)) return 'the event has no id of the form evt_…';
  if (typeof e.type !== 'string' || !/^[a-z_.]{1,100}$/.test(e.type)) return 'the event has no type';
  if (!Number.isSafeInteger(e.created) || e.created <= 0) return 'the event has no created time (unix seconds)';
  if (!e.data || typeof e.data.object !== 'object' || e.data.object === null) return 'the event has no data.object';
  return null;
}

export async function receiveWebhook(db: Db, payload: string, signature: string | null, secret: string): Promise<WebhookAnswer> {
  if (!signature) return refuse('missing Stripe-Signature header');
  let event: ProviderEvent;
  try {
    event = verifyStripeEvent(payload, signature, secret);
  } catch (error) {
    if (isSignatureError(error)) return refuse(`invalid Stripe-Signature: ${(error as Error).message.split('\n')[0]}`);
    return refuse('the body is not a JSON event');
  }
  const problem = eventProblem(event);
  if (problem) return refuse(problem);
  const stored = await storeEvents(db, [event], 'webhook');
  return { status: 200, body: { received: true, id: event.id, duplicate: stored === 0 } };
}
