// The local stand-in's pending webhooks, delivered as the forwarder does under `npm start` (signed
// with the SDK's test header helper, checked by the endpoint's own function) and applied: for
// tests that make provider objects through real sagas and then reconcile, as finance would once
// the provider's webhooks have arrived.
import { randomBytes } from 'node:crypto';
import type { Db } from '../prisma/db';
import { drainEvents } from '../finance/mirror/inbox';
import { receiveWebhook } from '../finance/mirror/webhook';
import { forwardLocalEvents } from '../ports/local-webhook-forwarder';

const secret = `whsec_${randomBytes(24).toString('hex')}`;

export async function deliverProviderWebhooks(db: Db) {
  const sent = await forwardLocalEvents(db, async (payload, signature) => (await receiveWebhook(db, payload, signature, secret)).status, secret);
  await drainEvents(db);
  return sent;
}
