// Provider events applied to the mirror: each event's data.object becomes the rows it stands for
// (ports/stripe-objects.ts), upserted in one statement per batch. A row keeps the newest state it
// was given (state_at: the event's time), so an event delivered late does not undo a newer one;
// a deleted insurance fee stays deleted. An object with no tenant in its metadata (a refund made in
// the provider's dashboard) takes its source's (the charge it refunds).
import type { Prisma } from '../../prisma/db';
import type { GatewayRecord, ProviderEvent } from '../../ports/payment-gateway';
import { isoOf, recordsOfStripeObject } from '../../ports/stripe-objects';

export interface MirrorRow {
  id: string;
  kind: string;
  status: string;
  amount_cents: number;
  currency: string;
  created_at: string;
  idempotency_key: string | null;
  order_id: string | null;
  source_id: string | null;
  tenant_id: string | null;
  state_at: string;
}

export const mirrorRowOf = (r: GatewayRecord, stateAt: string): MirrorRow => ({
  id: r.id, kind: r.kind, status: r.status, amount_cents: r.amountCents, currency: r.currency, created_at: r.createdAt,
  idempotency_key: r.idempotencyKey, order_id: r.commandeId, source_id: r.sourceId, tenant_id: r.tenantId, state_at: stateAt,
});

/** The rows an event sets, and the insurance fees it deletes. */
export function rowsOfEvent(event: ProviderEvent): { rows: MirrorRow[]; deleted: Array<{ id: string; at: string }> } {
  const object = event.data?.object ?? {};
  const at = isoOf(event.created);
  if (object.object === 'invoiceitem' && object.deleted) return { rows: [], deleted: [{ id: String(object.id), at }] };
  return { rows: recordsOfStripeObject(object).map((r) => mirrorRowOf(r, at)), deleted: [] };
}

/** Upserts rows (the newest state of each id wins) and marks deleted fees, inside the caller's transaction. */
export async function applyRows(tx: Prisma.TransactionClient, rows: MirrorRow[], deleted: Array<{ id: string; at: string }> = []) {
  const byId = new Map<string, MirrorRow>();
  for (const r of rows) {
    const held = byId.get(r.id);
    if (!held || held.state_at <= r.state_at) byId.set(r.id, r);
  }
  // A refund and its charge in the same batch: the refund takes the charge's tenant here, since the
  // statement below only sees rows stored before it.
  for (const r of byId.values()) if (!r.tenant_id && r.source_id) r.tenant_id = byId.get(r.source_id)?.tenant_id ?? null;
  if (byId.size) {
    await tx.$executeRaw`
      INSERT INTO mirror_objects (id, kind, status, amount_cents, currency, created_at, idempotency_key, order_id, source_id, tenant_id, state_at)
      SELECT r.id, r.kind, r.status, r.amount_cents, r.currency, r.created_at, r.idempotency_key, r.order_id, r.source_id, COALESCE(r.tenant_id, src.tenant_id), r.state_at
        FROM jsonb_to_recordset(${JSON.stringify([...byId.values()])}::jsonb) AS r(
               id text, kind text, status text, amount_cents int, currency text, created_at timestamptz, idempotency_key text,
               order_id text, source_id text, tenant_id text, state_at timestamptz)
        LEFT JOIN mirror_objects src ON src.id = r.source_id
      ON CONFLICT (id) DO UPDATE SET
        kind = EXCLUDED.kind, status = EXCLUDED.status, amount_cents = EXCLUDED.amount_cents, currency = EXCLUDED.currency,
        created_at = EXCLUDED.created_at, idempotency_key = EXCLUDED.idempotency_key, order_id = EXCLUDED.order_id,
        source_id = EXCLUDED.source_id, tenant_id = COALESCE(EXCLUDED.tenant_id, mirror_objects.tenant_id), state_at = EXCLUDED.state_at, updated_at = now()
      WHERE mirror_objects.state_at <= EXCLUDED.state_at`;
  }
  if (deleted.length) {
    // A deletion that arrives before the fee itself leaves a tombstone the fee's event cannot revive.
    await tx.$executeRaw`
      INSERT INTO mirror_objects (id, kind, status, amount_cents, currency, created_at, deleted, state_at)
      SELECT d.id, 'insurance', 'canceled', 0, 'eur', d.at, true, d.at FROM jsonb_to_recordset(${JSON.stringify(deleted)}::jsonb) AS d(id text, at timestamptz)
      ON CONFLICT (id) DO UPDATE SET deleted = true, updated_at = now()`;
  }
  return byId.size + deleted.length;
}

/** Applies events in one transaction: all of them or, on error, none. */
export async function applyEvents(tx: Prisma.TransactionClient, events: ProviderEvent[]) {
  const parts = events.map(rowsOfEvent);
  return applyRows(tx, parts.flatMap((p) => p.rows), parts.flatMap((p) => p.deleted));
}
