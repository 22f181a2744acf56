// The local stand-in's events for given objects, put straight into the inbox and applied, as its
// webhooks would have done: for the fixtures and the demo history, which write the provider's
// past directly. Marked delivered, so the forwarder does not send them again (it would be harmless:
// the inbox keeps an event once). The signed path is ports/local-webhook-forwarder.ts.
import type { Db } from '../../prisma/db';
import type { LocalObjectRow } from '../../ports/local-events';
import { renderLocalEvents } from '../../ports/local-gateway';
import { drainEvents, storeEvents } from './inbox';

export async function mirrorStandInObjects(db: Db, ids: string[]) {
  if (ids.length === 0) return { stored: 0 };
  const rows = await db.$queryRaw<LocalObjectRow[]>`
    SELECT id, kind, status, amount_cents, currency, counterparty, source_id, metadata, created_at FROM provider_objects
     WHERE id = ANY(${ids}::text[]) ORDER BY created_at, id`;
  const stored = await storeEvents(db, await renderLocalEvents(db, rows), 'webhook');
  await db.$executeRaw`UPDATE provider_objects SET webhook_delivered_at = now() WHERE id = ANY(${ids}::text[]) AND webhook_delivered_at IS NULL`;
  await drainEvents(db);
  return { stored };
}
