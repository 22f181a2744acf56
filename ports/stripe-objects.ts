// Stripe's objects (charge, refund, transfer with its reversals, invoice item) as the records
// reconciliation compares with the ledger. One mapping for both ways they reach Vigie: the
// gateway's list calls (the catch-up) and the events' data.object (webhooks), from the real
// Stripe or the local stand-in, which renders its rows in the same shape (local-events.ts).
import type { GatewayRecord } from './payment-gateway';

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const idOf = (v: unknown): string | null => str(v) ?? (v && typeof v === 'object' ? str((v as Obj).id) : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const metaOf = (o: Obj): Obj => (o.metadata && typeof o.metadata === 'object' ? (o.metadata as Obj) : {});
export const isoOf = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

function base(o: Obj, kind: GatewayRecord['kind'], status: GatewayRecord['status'], created: unknown, sourceId: string | null): GatewayRecord {
  const m = metaOf(o);
  return {
    id: String(o.id),
    kind,
    status,
    amountCents: num(o.amount),
    currency: str(o.currency) ?? 'eur',
    createdAt: isoOf(num(created)),
    idempotencyKey: str(m.idempotencyKey),
    commandeId: str(m.commandeId),
    sourceId,
    tenantId: str(m.tenantId),
  };
}

export function chargeRecord(c: Obj): GatewayRecord {
  return base(c, 'charge', c.status === 'succeeded' ? 'succeeded' : c.status === 'failed' ? 'failed' : 'pending', c.created, null);
}

export function refundRecord(r: Obj): GatewayRecord {
  const status = r.status === 'succeeded' ? 'succeeded' : r.status === 'failed' ? 'failed' : r.status === 'canceled' ? 'canceled' : 'pending';
  return base(r, 'refund', status, r.created, idOf(r.charge));
}

/** A transfer, then each of its reversals (Stripe nests them in the transfer). */
export function transferRecords(t: Obj): GatewayRecord[] {
  const transfer = base(t, 'transfer', 'succeeded', t.created, idOf(t.source_transaction));
  const reversals = ((t.reversals as { data?: Obj[] } | undefined)?.data ?? []).map((r) => base(r, 'transfer_reversal', 'succeeded', r.created, transfer.id));
  return [transfer, ...reversals];
}

/** An insurance fee (an invoice item on the insurer); billed once invoiced, still to bill before. */
export function invoiceItemRecord(i: Obj): GatewayRecord {
  return base(i, 'insurance', i.invoice ? 'succeeded' : 'pending', i.date, null);
}

/** The records an object of any of these kinds stands for; [] for any other object. */
export function recordsOfStripeObject(o: Obj): GatewayRecord[] {
  switch (o.object) {
    case 'charge':
      return [chargeRecord(o)];
    case 'refund':
      return [refundRecord(o)];
    case 'transfer':
      return transferRecords(o);
    case 'invoiceitem':
      return o.deleted ? [] : [invoiceItemRecord(o)];
    default:
      return [];
  }
}
