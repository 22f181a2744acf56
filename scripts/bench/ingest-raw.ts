// The ingestion bench's like-for-like baseline: the same rows into the same tables the API
// writes — checkout_transitions, the checkout_sessions snapshot upsert, the NOTIFY — with the
// best plain-`pg` statement we know: column arrays through unnest (one round trip for all
// three writes, prepared once per connection), the rows' columns and each session's latest
// snapshot computed before the clock starts. What it leaves out is exactly what the API adds:
// HTTP, the API key, JSON parsing, validation, PII scrubbing and the write buffer.
import type pg from 'pg';

export interface RawCheckoutEvent {
  eventId: string;
  sessionId: string;
  eventType: string;
  state: string | Record<string, unknown>;
  at: string;
  context: Record<string, unknown> & { items: Array<{ quantité: number; prix: number }>; tentativesPaiement: number };
}

const SQL = `
WITH ins AS (
  INSERT INTO checkout_transitions (tenant_id, event_id, session_id, event_type, state, state_value, tags, payment_attempts, last_error_code, cart_cents, at)
  SELECT $1, event_id, session_id, event_type, state, state_value, '{}', payment_attempts, NULL, cart_cents, at
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::int[], $8::int[], $9::timestamptz[])
    AS r(event_id, session_id, event_type, state, state_value, payment_attempts, cart_cents, at)
  ON CONFLICT (tenant_id, event_id) DO NOTHING
  RETURNING 1
),
up AS (
  INSERT INTO checkout_sessions AS s (tenant_id, session_id, machine_version, state, state_value, step, tags, cart_cents,
    item_count, payment_attempts, last_error_code, context, state_since, first_event_at, last_event_at, last_event_type, updated_at)
  SELECT $1, session_id, '1.0.0', state, state_value, state, '{}', cart_cents, item_count, payment_attempts, NULL, context,
    state_since, first_at, at, event_type, now()
  FROM unnest($10::text[], $11::text[], $12::jsonb[], $13::int[], $14::int[], $15::int[], $16::jsonb[], $17::timestamptz[],
    $18::timestamptz[], $19::timestamptz[], $20::text[])
    AS r(session_id, state, state_value, cart_cents, item_count, payment_attempts, context, state_since, first_at, at, event_type)
  ON CONFLICT (tenant_id, session_id) DO UPDATE SET
    state = EXCLUDED.state, state_value = EXCLUDED.state_value, step = EXCLUDED.step, cart_cents = EXCLUDED.cart_cents,
    item_count = EXCLUDED.item_count, payment_attempts = EXCLUDED.payment_attempts, context = EXCLUDED.context,
    state_since = EXCLUDED.state_since, first_event_at = LEAST(s.first_event_at, EXCLUDED.first_event_at),
    last_event_at = EXCLUDED.last_event_at, last_event_type = EXCLUDED.last_event_type, updated_at = now()
  WHERE s.last_event_at <= EXCLUDED.last_event_at
)
SELECT (SELECT count(*) FROM ins) AS inserted, pg_notify($21, json_build_object('t', $1::text, 'k', 'checkout')::text)`;

const stateName = (s: RawCheckoutEvent['state']) => (typeof s === 'string' ? s : Object.keys(s)[0]!);
const cents = (e: RawCheckoutEvent) => Math.round(e.context.items.reduce((sum, i) => sum + i.quantité * i.prix, 0) * 100);

/** One batch's statement parameters, computed up front (outside the timing). */
export function rawBatchParams(tenantId: string, batch: RawCheckoutEvent[], channel: string): unknown[] {
  const bySession = new Map<string, RawCheckoutEvent[]>();
  for (const e of batch) bySession.set(e.sessionId, [...(bySession.get(e.sessionId) ?? []), e]);
  const latest = [...bySession.values()].map((events) => {
    const ordered = [...events].sort((a, b) => a.at.localeCompare(b.at));
    const last = ordered.at(-1)!;
    let since = ordered.length - 1;
    while (since > 0 && stateName(ordered[since - 1]!.state) === stateName(last.state)) since -= 1;
    return { last, stateSince: ordered[since]!.at, firstAt: ordered[0]!.at };
  }).sort((a, b) => a.last.sessionId.localeCompare(b.last.sessionId)); // lock order, as the API does
  const col = <V>(xs: RawCheckoutEvent[], f: (e: RawCheckoutEvent) => V) => xs.map(f);
  const lasts = latest.map((l) => l.last);
  return [
    tenantId,
    col(batch, (e) => e.eventId), col(batch, (e) => e.sessionId), col(batch, (e) => e.eventType), col(batch, (e) => stateName(e.state)),
    col(batch, (e) => JSON.stringify(e.state)), col(batch, (e) => e.context.tentativesPaiement), col(batch, cents), col(batch, (e) => e.at),
    col(lasts, (e) => e.sessionId), col(lasts, (e) => stateName(e.state)), col(lasts, (e) => JSON.stringify(e.state)), col(lasts, cents),
    col(lasts, (e) => e.context.items.reduce((n, i) => n + i.quantité, 0)), col(lasts, (e) => e.context.tentativesPaiement),
    col(lasts, (e) => JSON.stringify(e.context)), latest.map((l) => l.stateSince), latest.map((l) => l.firstAt), col(lasts, (e) => e.at),
    col(lasts, (e) => e.eventType), channel,
  ];
}

/** Writes one prepared batch; resolves with the number of transitions inserted. */
export async function writeRawBatch(pool: pg.Pool, params: unknown[]): Promise<number> {
  const { rows } = await pool.query<{ inserted: string }>({ name: 'bench_raw_checkout', text: SQL, values: params });
  return Number(rows[0]!.inserted);
}
