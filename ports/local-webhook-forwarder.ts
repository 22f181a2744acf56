// The local stand-in's webhook deliveries: what `stripe listen --forward-to` does for Stripe.
// Each object the stand-in made and whose event has not reached the endpoint yet is rendered as
// its Stripe event (local-events.ts), signed with the endpoint's secret and sent; it counts as
// delivered on a 2xx. At least once, like Stripe: two forwarders may both send an event, and the
// endpoint keeps it once (its id is a unique key). `npm start` runs one beside the console.
import type { Db } from '../prisma/db';
import { renderLocalEvents } from './local-gateway';
import type { LocalObjectRow } from './local-events';
import { signStripePayload } from './stripe-webhooks';

/** Sends one signed payload; answers the HTTP status. */
export type Deliver = (payload: string, signature: string) => Promise<number>;

export const deliverTo = (url: string): Deliver => async (payload, signature) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
  await res.arrayBuffer();
  return res.status;
};

/** Delivers every pending event, oldest first; stops at the first refusal (the next run retries it). */
export async function forwardLocalEvents(db: Db, deliver: Deliver, secret: string, opts: { batch?: number } = {}) {
  let delivered = 0;
  for (;;) {
    const rows = await db.$queryRaw<LocalObjectRow[]>`
      SELECT id, kind, status, amount_cents, currency, counterparty, source_id, metadata, created_at FROM provider_objects
       WHERE webhook_delivered_at IS NULL ORDER BY created_at, id LIMIT ${opts.batch ?? 200}`;
    if (rows.length === 0) return { delivered, pending: 0 };
    const events = new Map((await renderLocalEvents(db, rows)).map((e) => [e.id, e]));
    const done: string[] = [];
    let refused: number | null = null;
    for (const row of rows) {
      const event = events.get(`evt_${row.id}`);
      if (event) {
        const payload = JSON.stringify(event);
        const status = await deliver(payload, signStripePayload(payload, secret)).catch(() => 0);
        if (status < 200 || status >= 300) {
          refused = status;
          break;
        }
        delivered++;
      }
      done.push(row.id);
    }
    if (done.length) await db.$executeRaw`UPDATE provider_objects SET webhook_delivered_at = now() WHERE id = ANY(${done}::text[]) AND webhook_delivered_at IS NULL`;
    if (refused !== null) return { delivered, pending: rows.length - done.length, refused };
  }
}

/** Forwards every `intervalMs` until the signal aborts; a failed pass is retried at the next. */
export async function runLocalWebhookForwarder(db: Db, url: string, secret: string, signal: AbortSignal, intervalMs = 500, onError?: (e: unknown) => void) {
  const deliver = deliverTo(url);
  while (!signal.aborted) {
    await forwardLocalEvents(db, deliver, secret).catch((e: unknown) => onError?.(e));
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
