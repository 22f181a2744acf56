// POST /api/v1/stripe-webhooks: the payment provider's events for the mirror. The answer goes
// out as soon as the event is stored (Stripe waits at most a few seconds and retries otherwise);
// the mirror is updated right after, in the background of this process (finance/mirror/).
import { drainSoon } from '../../finance/mirror/inbox';
import { receiveWebhook } from '../../finance/mirror/webhook';
import { SIGNATURE_HEADER } from '../../ports/stripe-webhooks';
import { db } from '../server/db.server';
import { env } from '../server/env.server';
import { log } from '../server/log.server';

/** Stripe's events are a few kilobytes; this leaves room and refuses the absurd. */
const MAX_BYTES = 512 * 1024;

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } });

export async function handleStripeWebhook(request: Request): Promise<Response> {
  if (request.method !== 'POST') return json({ error: 'POST only' }, 405);
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) return json({ error: 'webhooks are not configured on this console (STRIPE_WEBHOOK_SECRET)' }, 503);
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_BYTES) return json({ error: `the body exceeds ${MAX_BYTES} bytes` }, 413);
  const payload = await request.text();
  if (Buffer.byteLength(payload) > MAX_BYTES) return json({ error: `the body exceeds ${MAX_BYTES} bytes` }, 413);
  const answer = await receiveWebhook(db(), payload, request.headers.get(SIGNATURE_HEADER), secret);
  if (answer.status === 200) void drainSoon(db(), (error) => log().error({ err: error }, 'provider mirror: applying events failed; they stay for the next pass'));
  else log().warn({ reason: answer.body.error }, 'provider webhook refused');
  return json(answer.body, answer.status);
}
