// The provider's events as received: stored raw first (once per event id, whatever the number of
// deliveries), applied to the mirror after. A batch that fails is applied event by event, so one
// bad event is isolated: it stays unprocessed with its error and attempts, and every later pass
// (the next webhook, the catch-up, a reconciliation) tries it again. Nothing is dropped.
import { Prisma, type Db } from '../../prisma/db';
import type { ProviderEvent } from '../../ports/payment-gateway';
import { applyEvents } from './apply';

export type EventSource = 'webhook' | 'catch_up';

/** Stores the events not stored yet; answers how many were new. */
export async function storeEvents(db: Db, events: ProviderEvent[], via: EventSource): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({ id: e.id, type: e.type, created_at: new Date(e.created * 1000).toISOString(), payload: e }));
  return db.$executeRaw`
    INSERT INTO mirror_events (id, type, created_at, payload, via)
    SELECT r.id, r.type, r.created_at, r.payload, ${via} FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id text, type text, created_at timestamptz, payload jsonb)
    ON CONFLICT (id) DO NOTHING`;
}

type Pending = { id: string; created_at: Date; payload: ProviderEvent };

async function applyOne(db: Db, id: string): Promise<boolean> {
  try {
    await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Pending[]>`SELECT id, created_at, payload FROM mirror_events WHERE id = ${id} AND processed_at IS NULL FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return;
      await applyEvents(tx, rows.map((r) => r.payload));
      await tx.$executeRaw`UPDATE mirror_events SET processed_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ${id}`;
    });
    return true;
  } catch (error) {
    await db.$executeRaw`UPDATE mirror_events SET attempts = attempts + 1, last_error = ${error instanceof Error ? error.message.slice(0, 2000) : String(error)} WHERE id = ${id}`;
    return false;
  }
}

/**
 * Applies every unprocessed event once, oldest first: in batches those that never failed, then one
 * by one those that did (so one bad event does not slow every batch after it).
 */
export async function drainEvents(db: Db, opts: { batch?: number; retries?: number } = {}): Promise<{ applied: number; failed: number }> {
  const size = opts.batch ?? 500;
  let after: { at: Date; id: string } | null = null;
  let applied = 0;
  let failed = 0;
  for (;;) {
    const from: { at: Date; id: string } | null = after;
    let batch: Array<{ id: string; created_at: Date }> = [];
    try {
      batch = await db.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<Pending[]>`
          SELECT id, created_at, payload FROM mirror_events
           WHERE processed_at IS NULL AND last_error IS NULL
             ${from ? Prisma.sql`AND (created_at, id) > (${from.at}, ${from.id})` : Prisma.empty}
           ORDER BY created_at, id LIMIT ${size} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return [];
        await applyEvents(tx, rows.map((r) => r.payload));
        await tx.$executeRaw`UPDATE mirror_events SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY(${rows.map((r) => r.id)}::text[])`;
        return rows.map((r) => ({ id: r.id, created_at: r.created_at }));
      }, { timeout: 60_000 });
      applied += batch.length;
    } catch {
      // One event spoils the batch: take them one at a time.
      batch = await db.$queryRaw<Array<{ id: string; created_at: Date }>>`
        SELECT id, created_at FROM mirror_events
         WHERE processed_at IS NULL AND last_error IS NULL
           ${from ? Prisma.sql`AND (created_at, id) > (${from.at}, ${from.id})` : Prisma.empty}
         ORDER BY created_at, id LIMIT ${size}`;
      for (const e of batch) {
        if (await applyOne(db, e.id)) applied++;
        else failed++;
      }
    }
    const last = batch.at(-1);
    if (!last) break;
    after = { at: last.created_at, id: last.id };
  }
  const retry = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM mirror_events WHERE processed_at IS NULL AND last_error IS NOT NULL ORDER BY created_at, id LIMIT ${opts.retries ?? 100}`;
  for (const e of retry) {
    if (await applyOne(db, e.id)) applied++;
    else failed++;
  }
  return { applied, failed };
}

const g = globalThis as unknown as { __vigieMirrorDrain?: { running: Promise<void> | null; again: boolean } };

/** Drains in the background, one drain at a time per process; a request during a drain asks for another after it. */
export function drainSoon(db: Db, onError?: (e: unknown) => void): Promise<void> {
  const s = (g.__vigieMirrorDrain ??= { running: null, again: false });
  if (s.running) {
    s.again = true;
    return s.running;
  }
  s.running = (async () => {
    do {
      s.again = false;
      await drainEvents(db).catch((e: unknown) => onError?.(e));
    } while (s.again);
    s.running = null;
  })();
  return s.running;
}
