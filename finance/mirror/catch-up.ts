// The catch-up: what webhooks missed (the endpoint down, a delivery lost), fetched through the
// payment gateway port by `created` cursor. With a cursor less than EVENTS_KEPT_DAYS old it lists
// the provider's events since the cursor, stores the new ones and applies them; with none (a new
// mirror) or an older one it lists the objects themselves over the last BACKFILL_DAYS. Runs at
// the start of a reconciliation when the mirror is older than its limit, and on command
// (`npm run sync:provider`, for a scheduler). docs/decisions/140-provider-mirror.md.
import type { Db } from '../../prisma/db';
import type { GatewayPage, GatewayRecord, ListRequest, PaymentGateway, ProviderEvent } from '../../ports/payment-gateway';
import { applyRows, mirrorRowOf } from './apply';
import { drainEvents, storeEvents } from './inbox';

const MIRROR = 'provider';
const DAY_MS = 86_400_000;
/** Stripe lists events of the last 30 days; a cursor older than this falls back to the objects. */
export const EVENTS_KEPT_DAYS = 29;
/** A new mirror reads this far back: the console's longest period (92 days) and its margin. */
export const BACKFILL_DAYS = 95;
/** An event can appear in the provider's list a little after its `created`: the cursor stays this far behind. */
const LAG_MS = 60_000;
const MOVEMENT_KINDS: readonly string[] = ['charge', 'transfer', 'transfer_reversal', 'refund', 'insurance'];

async function listAll(list: (req: ListRequest) => Promise<GatewayPage>, from: Date, to: Date, limit: number) {
  const items: GatewayRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await list({ from, to, cursor, limit });
    pages++;
    for (const item of page.items) items.push(item);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { items, pages };
}

/**
 * Every provider object of a window, each list cut into `slices` time slices listed side by side
 * (one chain of pages per kind would leave the provider mostly idle).
 */
export async function fetchProviderWindow(gateway: PaymentGateway, from: Date, to: Date, opts: { limit?: number; slices?: number } = {}) {
  const limit = opts.limit ?? 100;
  const slices = Math.max(1, opts.slices ?? 4);
  const span = (to.getTime() - from.getTime()) / slices;
  const bounds = Array.from({ length: slices }, (_, i) => [new Date(from.getTime() + Math.round(i * span)), i === slices - 1 ? to : new Date(from.getTime() + Math.round((i + 1) * span))] as const);
  const calls: Array<(r: ListRequest) => Promise<GatewayPage>> = [
    (r) => gateway.listCharges(r),
    (r) => gateway.listTransfers(r),
    (r) => gateway.listRefunds(r),
    (r) => gateway.listInsurance(r),
  ];
  const lists = await Promise.all(calls.flatMap((list) => bounds.map(([f, t]) => listAll(list, f, t, limit))));
  // A provider that lists by whole seconds (Stripe) repeats objects at slice edges: one per id.
  const byId = new Map<string, GatewayRecord>();
  for (const l of lists) for (const item of l.items) if (MOVEMENT_KINDS.includes(item.kind)) byId.set(item.id, item);
  return { records: [...byId.values()], pages: lists.reduce((n, l) => n + l.pages, 0) };
}

export interface CatchUpResult {
  mode: 'events' | 'objects';
  since: string;
  pages: number;
  /** Events stored by this run (new ones only), or objects written by a backfill. */
  stored: number;
  applied: number;
  failed: number;
  ms: number;
}

export interface CatchUpOptions {
  /** List from here rather than from the cursor. */
  since?: Date;
  /** Force the mode (default: events when the cursor is recent enough, objects otherwise). */
  mode?: 'events' | 'objects';
  pageSize?: number;
  now?: Date;
}

/** One catch-up run; moves the cursor forward only (two runs at once leave the later one's). */
export async function catchUp(db: Db, gateway: PaymentGateway, opts: CatchUpOptions = {}): Promise<CatchUpResult> {
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  const state = await db.mirrorSync.findUnique({ where: { name: MIRROR } });
  const cursor = opts.since ?? state?.cursor ?? null;
  const mode = opts.mode ?? (cursor && now.getTime() - cursor.getTime() < EVENTS_KEPT_DAYS * DAY_MS ? 'events' : 'objects');
  const since = cursor ?? new Date(now.getTime() - BACKFILL_DAYS * DAY_MS);
  const limit = opts.pageSize ?? 100;
  let pages = 0;
  let stored = 0;
  if (mode === 'events') {
    let page: string | undefined;
    do {
      const got = await gateway.listEvents({ since, cursor: page, limit });
      pages++;
      stored += await storeEvents(db, got.items as ProviderEvent[], 'catch_up');
      page = got.nextCursor ?? undefined;
    } while (page);
  } else {
    const window = await fetchProviderWindow(gateway, since, new Date(now.getTime() + LAG_MS), { limit });
    pages = window.pages;
    // An object listed is as its creation made it, or newer: any event of it may replace this state.
    const rows = window.records.map((r) => mirrorRowOf(r, r.createdAt));
    for (let i = 0; i < rows.length; i += 2_000) stored += await db.$transaction((tx) => applyRows(tx, rows.slice(i, i + 2_000)));
  }
  const drained = await drainEvents(db);
  const next = new Date(now.getTime() - LAG_MS);
  const ms = Math.round(performance.now() - t0);
  await db.$executeRaw`
    INSERT INTO mirror_sync (name, cursor, synced_at, events, objects, ms) VALUES (${MIRROR}, ${next}, ${now}, ${mode === 'events' ? stored : 0}, ${mode === 'objects' ? stored : 0}, ${ms})
    ON CONFLICT (name) DO UPDATE SET cursor = GREATEST(mirror_sync.cursor, EXCLUDED.cursor), synced_at = GREATEST(mirror_sync.synced_at, EXCLUDED.synced_at),
      events = EXCLUDED.events, objects = EXCLUDED.objects, ms = EXCLUDED.ms`;
  return { mode, since: since.toISOString(), pages, stored, applied: drained.applied, failed: drained.failed, ms };
}

export interface MirrorFreshness {
  syncedAt: string | null;
  caughtUp: CatchUpResult | null;
  applied: number;
}

const g = globalThis as unknown as { __vigieCatchUp?: Promise<CatchUpResult> | null };

/**
 * Before a reconciliation: a catch-up when the last one is older than maxAgeMs (one at a time per
 * process), else only the events received and not applied yet.
 */
export async function syncMirrorIfStale(db: Db, gateway: PaymentGateway, maxAgeMs: number, now = new Date()): Promise<MirrorFreshness> {
  const state = await db.mirrorSync.findUnique({ where: { name: MIRROR }, select: { syncedAt: true } });
  if (!state || now.getTime() - state.syncedAt.getTime() > maxAgeMs) {
    g.__vigieCatchUp ??= catchUp(db, gateway).finally(() => (g.__vigieCatchUp = null));
    const caughtUp = await g.__vigieCatchUp;
    return { syncedAt: now.toISOString(), caughtUp, applied: caughtUp.applied };
  }
  const drained = await drainEvents(db);
  return { syncedAt: state.syncedAt.toISOString(), caughtUp: null, applied: drained.applied };
}
