// Where ingested events go: one write buffer per table, each flush one multi-row
// INSERT ... ON CONFLICT (tenant_id, event_id) DO NOTHING in a single statement that also
// updates the latest checkout snapshot and NOTIFYs the console's live views at commit.
// Plain `pg` rather than Prisma here: this is the hot path, and the bench compares it with
// a raw pg insert.
import type pg from 'pg';
import { z } from 'zod';
import { createPgPool } from '../../prisma/db';
import { env } from '../server/env.server';
import { WriteBuffer } from './buffer.server';
import type { CheckoutEventRow, KanbanErrorRow } from './schema.server';

export const LIVE_CHANNEL = 'vigie_ingest';

const settingsSchema = z.object({
  INGEST_FLUSH_MS: z.coerce.number().int().min(1).max(5_000).default(50),
  INGEST_FLUSH_ROWS: z.coerce.number().int().min(1).max(20_000).default(2_000),
});

export interface Tenanted<T> {
  tenantId: string;
  row: T;
}

const key = (r: Tenanted<{ eventId: string }>) => `${r.tenantId}\u0000${r.row.eventId}`;

const g = globalThis as unknown as {
  __vigieIngestPool?: pg.Pool;
  __vigieIngestBuffers?: { checkout: WriteBuffer<Tenanted<CheckoutEventRow>>; kanban: WriteBuffer<Tenanted<KanbanErrorRow>> };
};

export function ingestPool(): pg.Pool {
  g.__vigieIngestPool ??= createPgPool({ connectionString: env().DATABASE_URL, max: 4 }, 'ingestion');
  return g.__vigieIngestPool;
}

const CHECKOUT_SQL = `
WITH input AS (
  SELECT ord, tenant_id, event_id, session_id, machine_version, event_type, state, state_value, step,
    string_to_array(tags, ',') AS tags, cart_cents, item_count, payment_attempts, last_error_code, context, at,
    is_latest, state_since, continues, first_at
  -- The two JSON columns come as one JSON array each, in row order: no array-literal escaping of every document.
  FROM ROWS FROM (unnest($1::int[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]), unnest($6::text[]),
    unnest($7::text[]), jsonb_array_elements($8::jsonb), unnest($9::text[]), unnest($10::text[]), unnest($11::int[]), unnest($12::int[]),
    unnest($13::int[]), unnest($14::text[]), jsonb_array_elements($15::jsonb), unnest($16::timestamptz[]),
    unnest($17::boolean[]), unnest($18::timestamptz[]), unnest($19::boolean[]), unnest($20::timestamptz[])) AS r(
    ord, tenant_id, event_id, session_id, machine_version, event_type, state, state_value, step,
    tags, cart_cents, item_count, payment_attempts, last_error_code, context, at,
    is_latest, state_since, continues, first_at)
),
ins AS (
  INSERT INTO checkout_transitions (tenant_id, event_id, session_id, event_type, state, state_value, tags,
    payment_attempts, last_error_code, cart_cents, at)
  SELECT tenant_id, event_id, session_id, event_type, state, state_value, tags, payment_attempts, last_error_code, cart_cents, at
  FROM input ORDER BY ord
  ON CONFLICT (tenant_id, event_id) DO NOTHING
  RETURNING tenant_id, event_id
),
latest AS (
  SELECT i.*,
    -- Still in the state it was in before this flush: it entered that state earlier.
    CASE WHEN i.continues AND p.state = i.state THEN LEAST(p.state_since, i.state_since) ELSE i.state_since END AS entered
  FROM input i
  JOIN ins USING (tenant_id, event_id)
  LEFT JOIN checkout_sessions p ON p.tenant_id = i.tenant_id AND p.session_id = i.session_id
  WHERE i.is_latest
),
up AS (
  INSERT INTO checkout_sessions AS s (tenant_id, session_id, machine_version, state, state_value, step, tags, cart_cents,
    item_count, payment_attempts, last_error_code, context, state_since, first_event_at, last_event_at, last_event_type, updated_at)
  SELECT tenant_id, session_id, machine_version, state, state_value, step, tags, cart_cents, item_count, payment_attempts,
    last_error_code, context, entered, first_at, at, event_type, now()
  -- Two flushes at once lock their session rows in the same order, so they cannot deadlock.
  FROM latest ORDER BY tenant_id, session_id
  ON CONFLICT (tenant_id, session_id) DO UPDATE SET
    machine_version = EXCLUDED.machine_version, state = EXCLUDED.state, state_value = EXCLUDED.state_value,
    step = EXCLUDED.step, tags = EXCLUDED.tags, cart_cents = EXCLUDED.cart_cents, item_count = EXCLUDED.item_count,
    payment_attempts = EXCLUDED.payment_attempts, last_error_code = EXCLUDED.last_error_code, context = EXCLUDED.context,
    state_since = EXCLUDED.state_since,
    first_event_at = LEAST(s.first_event_at, EXCLUDED.first_event_at),
    last_event_at = EXCLUDED.last_event_at, last_event_type = EXCLUDED.last_event_type, updated_at = now()
  -- A batch that arrives late never overwrites a newer snapshot.
  WHERE s.last_event_at <= EXCLUDED.last_event_at
),
notified AS (
  SELECT pg_notify('${LIVE_CHANNEL}', json_build_object('t', t.tenant_id, 'k', 'checkout')::text)
  FROM (SELECT DISTINCT tenant_id FROM ins) t
)
SELECT ins.tenant_id, ins.event_id FROM ins, (SELECT count(*) FROM notified) n`;

const KANBAN_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
    ord int, tenant_id text, event_id text, board_id text, card_id text, from_column text, to_column text,
    target_index int, original_index int, error text, kind text, board_after jsonb, at timestamptz)
),
ins AS (
  INSERT INTO kanban_save_errors (tenant_id, event_id, board_id, card_id, from_column, to_column, target_index,
    original_index, error, kind, board_after, at)
  SELECT tenant_id, event_id, board_id, card_id, from_column, to_column, target_index, original_index, error, kind, board_after, at
  FROM input ORDER BY ord
  ON CONFLICT (tenant_id, event_id) DO NOTHING
  RETURNING tenant_id, event_id
),
notified AS (
  SELECT pg_notify('${LIVE_CHANNEL}', json_build_object('t', t.tenant_id, 'k', 'kanban')::text)
  FROM (SELECT DISTINCT tenant_id FROM ins) t
)
SELECT ins.tenant_id, ins.event_id FROM ins, (SELECT count(*) FROM notified) n`;

/**
 * Per session, which row ends the flush (the one the session snapshot takes), when the
 * session entered that row's state, and whether it was already in it at the flush's first row.
 */
export function checkoutFlushRows(rows: Tenanted<CheckoutEventRow>[]) {
  const bySession = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = `${r.tenantId}\u0000${r.row.sessionId}`;
    const list = bySession.get(k) ?? [];
    list.push(i);
    bySession.set(k, list);
  });
  const extra = rows.map(() => ({ is_latest: false, state_since: null as Date | null, continues: false, first_at: null as Date | null }));
  for (const indexes of bySession.values()) {
    // Stable: equal times keep the order the client sent them in.
    const ordered = [...indexes].sort((a, b) => rows[a].row.at.getTime() - rows[b].row.at.getTime() || a - b);
    const last = ordered[ordered.length - 1];
    let runStart = ordered.length - 1;
    while (runStart > 0 && rows[ordered[runStart - 1]].row.state === rows[last].row.state) runStart -= 1;
    extra[last] = {
      is_latest: true,
      state_since: rows[ordered[runStart]].row.at,
      continues: runStart === 0,
      first_at: rows[ordered[0]].row.at,
    };
  }
  // One array per column (unnest): cheaper for PostgreSQL to read than one JSON document of rows; the
  // JSON columns one JSON array each (pg would escape every document inside an array literal).
  const col = <V>(f: (r: CheckoutEventRow, i: number) => V) => rows.map(({ row }, i) => f(row, i));
  return [
    col((_, i) => i),
    rows.map((r) => r.tenantId),
    col((r) => r.eventId),
    col((r) => r.sessionId),
    col((r) => r.machineVersion),
    col((r) => r.eventType),
    col((r) => r.state),
    JSON.stringify(rows.map(({ row }) => row.stateValue)),
    col((r) => r.step),
    // Machine tag names never hold a comma; string_to_array splits them back.
    col((r) => r.tags.join(',')),
    col((r) => r.cartCents),
    col((r) => r.itemCount),
    col((r) => r.paymentAttempts),
    col((r) => r.lastErrorCode),
    JSON.stringify(rows.map(({ row }) => row.context)),
    col((r) => r.at.toISOString()),
    extra.map((e) => e.is_latest),
    extra.map((e) => e.state_since?.toISOString() ?? null),
    extra.map((e) => e.continues),
    extra.map((e) => e.first_at?.toISOString() ?? null),
  ];
}

// Deadlock and serialization failures roll the whole statement back: running it again is safe.
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

async function insertedKeys(name: string, sql: string, values: unknown[]): Promise<Set<string>> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Named: each pooled connection plans the statement once, not at every flush.
      const { rows: out } = await ingestPool().query<{ tenant_id: string; event_id: string }>({ name, text: sql, values });
      return new Set(out.map((r) => `${r.tenant_id}\u0000${r.event_id}`));
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
      await new Promise((r) => setTimeout(r, 10 * attempt));
    }
  }
}

function buffers() {
  if (!g.__vigieIngestBuffers) {
    const s = settingsSchema.parse(process.env);
    const common = { intervalMs: s.INGEST_FLUSH_MS, maxRows: s.INGEST_FLUSH_ROWS, maxConcurrent: 4, maxPendingRows: s.INGEST_FLUSH_ROWS * 20 };
    g.__vigieIngestBuffers = {
      checkout: new WriteBuffer<Tenanted<CheckoutEventRow>>({
        ...common,
        key,
        flush: (rows) => insertedKeys('vigie_ingest_checkout', CHECKOUT_SQL, checkoutFlushRows(rows)),
      }),
      kanban: new WriteBuffer<Tenanted<KanbanErrorRow>>({
        ...common,
        key,
        flush: (rows) =>
          insertedKeys(
            'vigie_ingest_kanban',
            KANBAN_SQL,
            [JSON.stringify(rows.map(({ tenantId, row }, ord) => ({
              ord,
              tenant_id: tenantId,
              event_id: row.eventId,
              board_id: row.boardId,
              card_id: row.cardId,
              from_column: row.fromColumn,
              to_column: row.toColumn,
              target_index: row.targetIndex,
              original_index: row.originalIndex,
              error: row.error,
              kind: row.kind,
              board_after: row.boardAfter,
              at: row.at.toISOString(),
            })))],
          ),
      }),
    };
  }
  return g.__vigieIngestBuffers;
}

export function storeCheckoutEvents(tenantId: string, rows: CheckoutEventRow[]) {
  return buffers().checkout.write(rows.map((row) => ({ tenantId, row })));
}

export function storeKanbanErrors(tenantId: string, rows: KanbanErrorRow[]) {
  return buffers().kanban.write(rows.map((row) => ({ tenantId, row })));
}

export function ingestBufferStats() {
  const b = buffers();
  return { checkout: { ...b.checkout.stats }, kanban: { ...b.kanban.stats } };
}
