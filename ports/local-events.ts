// The local stand-in's events, in Stripe's shape: one event per object it made, derived from the
// provider_objects row (event id evt_<object id>, created = the object's creation), so the
// fixtures' and the bench's back-dated objects emit their events at the time they claim.
// data.object is rendered when the event is read, not frozen when it happened as Stripe does; the
// stand-in's objects do not change after creation (a cancelled fee is its own row and event), so
// the two only differ for a transfer's list of reversals, which is then the current one.
import type { ProviderEvent } from './payment-gateway';

export interface LocalObjectRow {
  id: string;
  kind: string;
  status: string;
  amount_cents: number | null;
  currency: string;
  counterparty: string | null;
  source_id: string | null;
  metadata: Record<string, unknown> | null;
  created_at: Date;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Metadata as Stripe keeps it: strings only. */
function metadata(row: LocalObjectRow): Record<string, string> {
  return Object.fromEntries(Object.entries(row.metadata ?? {}).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
}

const common = (row: LocalObjectRow) => ({ id: row.id, amount: row.amount_cents ?? 0, currency: row.currency, created: seconds(row.created_at), metadata: metadata(row) });

function transferObject(transfer: LocalObjectRow, reversals: LocalObjectRow[]) {
  return {
    ...common(transfer),
    object: 'transfer',
    destination: transfer.counterparty,
    source_transaction: transfer.source_id,
    amount_reversed: reversals.reduce((n, r) => n + (r.amount_cents ?? 0), 0),
    reversals: { object: 'list', data: reversals.map((r) => ({ ...common(r), object: 'transfer_reversal', transfer: transfer.id })), has_more: false },
  };
}

/**
 * The event a row stands for, or null: a request the provider refused made no object at Stripe
 * (only a declined charge exists there, as status failed), and trials are not money.
 * `related` holds, for a reversal, its transfer and the transfer's reversals so far.
 */
export function localEventOf(row: LocalObjectRow, related: { transfer?: LocalObjectRow; reversals?: LocalObjectRow[] } = {}): ProviderEvent | null {
  if (row.status !== 'succeeded' && row.kind !== 'charge') return null;
  const event = (type: string, object: Record<string, unknown>): ProviderEvent => ({
    id: `evt_${row.id}`, object: 'event', type, created: seconds(row.created_at), data: { object }, livemode: false, api_version: null,
  });
  switch (row.kind) {
    case 'charge':
      return event(row.status === 'succeeded' ? 'charge.succeeded' : 'charge.failed', {
        ...common(row), object: 'charge', status: row.status, customer: row.counterparty, amount_refunded: 0, paid: row.status === 'succeeded',
      });
    case 'refund':
      return event('refund.created', { ...common(row), object: 'refund', status: 'succeeded', charge: row.source_id });
    case 'transfer':
      return event('transfer.created', transferObject(row, []));
    case 'transfer_reversal':
      return related.transfer ? event('transfer.reversed', transferObject(related.transfer, related.reversals ?? [row])) : null;
    case 'insurance':
      return event('invoiceitem.created', { ...common(row), object: 'invoiceitem', customer: row.counterparty, date: seconds(row.created_at), invoice: null });
    case 'insurance_cancel':
      return row.source_id ? event('invoiceitem.deleted', { id: row.source_id, object: 'invoiceitem', deleted: true }) : null;
    default:
      return null;
  }
}
