// Reconciliation: the ledger (what the sagas and the console asked for) against what the
// payment provider reports, for one tenant and one period. The provider's side is its mirror in
// PostgreSQL (mirror_objects, fed by its webhooks and the catch-up: finance/mirror/,
// docs/decisions/140-provider-mirror.md), so both sides are read with a handful of SQL queries
// keyed by arrays, side by side, and compared in memory with maps, with no query per row and no
// provider call unless the mirror is stale (scripts/bench/reconcile.ts measures it against one
// SQL pass over the same rows).
//
// Rules, in short (docs/decisions/040-finance-console.md has the reasoning):
// - The period is [from, to). The provider is listed over a window one day wider on each side,
//   so an object created just across the boundary from its ledger row still matches.
// - A provider object belongs to the tenant its metadata names (tenantId), or, naming none, when
//   its idempotency key is in that tenant's ledger, or its order is one of the tenant's sagas, or
//   the object it draws on does.
//   Objects that belong to no tenant are not shown to any.
// - A ledger row is verifiable when the window covers the whole time its provider object could
//   have been created (between the row's creation and its last update): only then does
//   "absent at the provider" mean absent. Outside it the ledger is trusted.
// - Each mismatch has a stable key (kind and subject), the same in every period, so a mark
//   "reconciled" made once stays.
import { Prisma, type Db } from '../prisma/db';
import type { GatewayObjectKind, GatewayRecord, PaymentGateway } from '../ports/payment-gateway';
import { formatEuros } from './euros';
import { englishWords, type OperatorWords } from './operator-words';
import { syncMirrorIfStale, type MirrorFreshness } from './mirror/catch-up';

export const MISMATCH_KINDS = [
  'charged_without_outcome',
  'compensation_incomplete',
  'refunded_twice',
  'transfer_without_charge',
  'amount_differs',
  'unknown_to_ledger',
  'status_differs',
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export type MovementKind = Exclude<GatewayObjectKind, 'trial'>;

export interface LedgerRow {
  id: string;
  orderId: string;
  kind: MovementKind;
  idempotencyKey: string;
  providerId: string | null;
  relatedProviderId: string | null;
  amountCents: number;
  status: 'pending' | 'succeeded' | 'failed';
  error: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

export interface SagaFacts {
  orderId: string;
  workflowId: string;
  status: string;
  buyerId: string;
  sellerId: string;
  totalCents: number;
  sellerCents: number;
  insuranceCents: number;
  chargeId: string | null;
  transferId: string | null;
  insuranceId: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface Movement {
  kind: MovementKind;
  ledger: LedgerRow | null;
  provider: GatewayRecord | null;
  verifiable: boolean;
  /** When it happened: the provider's time, else the ledger's. */
  at: string;
}

export interface OrderStory {
  orderId: string;
  saga: SagaFacts | null;
  movements: Movement[];
  chargeNetCents: number;
  transferNetCents: number;
  insuranceBilledCents: number;
}

export interface Mismatch {
  key: string;
  kind: MismatchKind;
  orderId: string | null;
  /** The provider id (or ledger key, or order) the mismatch is about. */
  subject: string;
  objectKind: MovementKind | 'order';
  ledgerCents: number | null;
  providerCents: number | null;
  /** The money concerned, integer cents. */
  atStakeCents: number;
  at: string;
  /** What is wrong, in English (the CSV, logs); `words` says it by code for the console's other languages. */
  detail: string;
  words: OperatorWords;
}

export interface ReconcileOptions {
  tenantId: string;
  from: Date;
  to: Date;
  /** How much wider the provider window is on each side (default one day). */
  marginMs?: number;
  /** A saga running for less than this is in flight, not "without outcome" (default one hour). */
  inFlightGraceMs?: number;
  /** Clock skew allowed between the provider and PostgreSQL (default five minutes). */
  skewMs?: number;
  /** A mirror last caught up longer ago than this catches up first (default five minutes). */
  mirrorMaxAgeMs?: number;
  now?: Date;
}

export interface ReconcileResult {
  tenantId: string;
  from: string;
  to: string;
  generatedAt: string;
  counts: { orders: number; ledgerRows: number; providerObjects: number };
  /** How fresh the mirror was: when it last caught up, and what this run did to it first. */
  mirror: MirrorFreshness;
  timings: { syncMs: number; readMs: number; compareMs: number; totalMs: number };
  mismatches: Mismatch[];
  totals: Record<MismatchKind, { count: number; atStakeCents: number }>;
  stories: Map<string, OrderStory>;
}

const DAY_MS = 86_400_000;

/**
 * A time as PostgreSQL renders it for this file: the text toISOString() would give (UTC,
 * milliseconds, fixed width), so rows arrive as strings with no Date made, parsed or formatted
 * per row, and their text sorts as their time.
 */
const iso = (column: string) => Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * The columns of the mirror, the ledger and the sagas under GatewayRecord's, LedgerRow's and
 * SagaFacts' own names, so each row PostgreSQL returns is used as it comes, with no copy.
 */
const RECORD_COLUMNS = Prisma.sql`id, kind, status, amount_cents AS "amountCents", COALESCE(currency, 'eur') AS currency, ${iso('created_at')} AS "createdAt",
  idempotency_key AS "idempotencyKey", order_id AS "commandeId", source_id AS "sourceId", tenant_id AS "tenantId"`;
const LEDGER_COLUMNS = Prisma.sql`id::text AS id, order_id AS "orderId", kind, idempotency_key AS "idempotencyKey", provider_id AS "providerId",
  related_provider_id AS "relatedProviderId", amount_cents AS "amountCents", status, error, attempts, ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt"`;
const SAGA_COLUMNS = Prisma.sql`order_id AS "orderId", workflow_id AS "workflowId", status, buyer_id AS "buyerId", seller_id AS "sellerId", total_cents AS "totalCents",
  seller_cents AS "sellerCents", insurance_cents AS "insuranceCents", charge_id AS "chargeId", transfer_id AS "transferId", insurance_id AS "insuranceId",
  ${iso('started_at')} AS "startedAt", ${iso('ended_at')} AS "endedAt"`;

/** Ledger ids are bigserial as text without leading zeros: the shorter is the smaller, then the text decides. */
const byLedgerId = (a: LedgerRow, b: LedgerRow) => a.id.length - b.id.length || compare(a.id, b.id);

/** The provider did it (or will: an uninvoiced Stripe invoice item is still billed). */
const happenedAtProvider = (r: GatewayRecord) => r.status === 'succeeded' || r.status === 'pending';

export async function reconcile(db: Db, gateway: PaymentGateway, opts: ReconcileOptions): Promise<ReconcileResult> {
  const t0 = performance.now();
  const { tenantId, from, to } = opts;
  if (!(from < to)) throw new RangeError('reconcile: "from" must be before "to"');
  const margin = opts.marginMs ?? DAY_MS;
  const skew = opts.skewMs ?? 5 * 60_000;
  const grace = opts.inFlightGraceMs ?? 3_600_000;
  const now = opts.now ?? new Date();
  const windowFrom = new Date(from.getTime() - margin);
  const windowTo = new Date(to.getTime() + margin);

  // The mirror first brought up to date (a catch-up when stale, else the events not applied yet),
  // then the provider's window from the mirror and the tenant's ledger rows of that window, side by
  // side. An object whose metadata names another tenant is not read; one naming none may be ours.
  const mirror = await syncMirrorIfStale(db, gateway, opts.mirrorMaxAgeMs ?? 5 * 60_000, now);
  const t1 = performance.now();
  // The window read in parallel: the mirror's objects, the tenant's ledger rows and the sagas
  // started in it, and the ledger rows of those orders written outside the window (a refund weeks
  // later, a late retry). Orders in scope whose saga started earlier are read after, once the
  // scope is known (few).
  const inWindow = (column: string) => Prisma.sql`${Prisma.raw(column)} >= ${windowFrom} AND ${Prisma.raw(column)} < ${windowTo}`;
  const [records, windowLedger, sagaRows, outsideRows] = await Promise.all([
    db.$queryRaw<GatewayRecord[]>`
      SELECT ${RECORD_COLUMNS} FROM mirror_objects
       WHERE ${inWindow('created_at')} AND NOT deleted AND (tenant_id = ${tenantId} OR tenant_id IS NULL)`,
    db.$queryRaw<LedgerRow[]>`SELECT ${LEDGER_COLUMNS} FROM ledger_entries WHERE tenant_id = ${tenantId} AND ${inWindow('created_at')}`,
    db.$queryRaw<SagaFacts[]>`SELECT ${SAGA_COLUMNS} FROM payment_sagas WHERE tenant_id = ${tenantId} AND ${inWindow('started_at')}`,
    db.$queryRaw<LedgerRow[]>`
      SELECT ${LEDGER_COLUMNS}
        FROM ledger_entries l
       WHERE tenant_id = ${tenantId} AND (created_at < ${windowFrom} OR created_at >= ${windowTo})
         AND EXISTS (SELECT 1 FROM payment_sagas s WHERE s.order_id = l.order_id AND s.tenant_id = ${tenantId} AND ${inWindow('s.started_at')})`,
  ]);

  // --- Which provider objects are this tenant's. Most match a row of the window's ledger; only
  // the others are looked up, across tenants on purpose (another tenant's object is not ours).
  const own = { keys: new Map<string, string>(), ids: new Map<string, string>() };
  for (const l of windowLedger) {
    own.keys.set(l.idempotencyKey, l.orderId);
    if (l.providerId) own.ids.set(l.providerId, l.orderId);
  }
  const owner = new Map<string, { tenantId: string; orderId: string | null }>();
  const unmatched: GatewayRecord[] = [];
  for (const r of records) {
    const c = (r.idempotencyKey ? own.keys.get(r.idempotencyKey) : undefined) ?? own.ids.get(r.id);
    if (c) owner.set(r.id, { tenantId, orderId: c });
    else if (r.tenantId === tenantId && r.commandeId) owner.set(r.id, { tenantId, orderId: r.commandeId });
    else unmatched.push(r);
  }
  const keys = unmatched.map((r) => r.idempotencyKey).filter((k): k is string => Boolean(k));
  const ids = unmatched.map((r) => r.id);
  const orderIds = [...new Set(unmatched.map((r) => r.commandeId).filter((c): c is string => Boolean(c)))];
  const sources = [...new Set(unmatched.map((r) => r.sourceId).filter((c): c is string => Boolean(c)))];
  const [keyOwners, idOwners, sagaOwners] = await Promise.all([
    keys.length
      ? db.$queryRaw<Array<{ tenant_id: string; idempotency_key: string; order_id: string }>>`
          SELECT tenant_id, idempotency_key, order_id FROM ledger_entries WHERE idempotency_key = ANY(${keys}::text[])`
      : [],
    // Objects made outside our requests carry no key of ours; their provider id (or their source's) may still be in the ledger.
    ids.length || sources.length
      ? db.$queryRaw<Array<{ tenant_id: string; provider_id: string; order_id: string }>>`
          SELECT tenant_id, provider_id, order_id FROM ledger_entries WHERE provider_id = ANY(${[...ids, ...sources]}::text[])`
      : [],
    orderIds.length
      ? db.$queryRaw<Array<{ order_id: string; tenant_id: string }>>`SELECT order_id, tenant_id FROM payment_sagas WHERE order_id = ANY(${orderIds}::text[])`
      : [],
  ]);
  const ownerByKey = new Map(keyOwners.map((k) => [k.idempotency_key, { tenantId: k.tenant_id, orderId: k.order_id }]));
  const ownerById = new Map(idOwners.map((o) => [o.provider_id, { tenantId: o.tenant_id, orderId: o.order_id }]));
  const tenantOfOrder = new Map(sagaOwners.map((o) => [o.order_id, o.tenant_id]));
  for (const r of unmatched) {
    const o = (r.idempotencyKey ? ownerByKey.get(r.idempotencyKey) : undefined) ?? ownerById.get(r.id);
    if (o) owner.set(r.id, o);
    else if (r.commandeId && tenantOfOrder.has(r.commandeId)) owner.set(r.id, { tenantId: tenantOfOrder.get(r.commandeId)!, orderId: r.commandeId });
  }
  // A refund or reversal belongs where the object it draws on belongs (two hops at most).
  for (let hop = 0; hop < 2; hop++) {
    for (const r of unmatched) {
      if (owner.has(r.id) || !r.sourceId) continue;
      const src = owner.get(r.sourceId) ?? ownerById.get(r.sourceId);
      if (src) owner.set(r.id, { tenantId: src.tenantId, orderId: r.commandeId ?? src.orderId });
    }
  }
  // Ours by its metadata alone, its order unknown: shown, with no order.
  for (const r of unmatched) if (!owner.has(r.id) && r.tenantId === tenantId) owner.set(r.id, { tenantId, orderId: null });
  const ours = records.filter((r) => owner.get(r.id)?.tenantId === tenantId);
  // Every time here is a toISOString() (UTC, fixed width), so its text sorts as its time: no parsing per row.
  const fromIso = from.toISOString();
  const toIso = to.toISOString();
  const inPeriod = (iso: string) => iso >= fromIso && iso < toIso;
  const orderOf = (r: GatewayRecord) => r.commandeId ?? owner.get(r.id)?.orderId ?? null;

  // --- The ledger of every order touched in the period, whole: the window's rows, plus the few
  // rows of those orders written outside the window (a refund weeks later, a late retry).
  const scope = new Set<string>();
  for (const r of ours) if (inPeriod(r.createdAt)) {
    const c = orderOf(r);
    if (c) scope.add(c);
  }
  for (const l of windowLedger) if (inPeriod(l.createdAt)) scope.add(l.orderId);
  const read = new Set(sagaRows.map((s) => s.orderId));
  const more = [...scope].filter((c) => !read.has(c));
  const [moreOutside, moreSagas] = more.length
    ? await Promise.all([
        db.$queryRaw<LedgerRow[]>`
          SELECT ${LEDGER_COLUMNS}
            FROM ledger_entries
           WHERE tenant_id = ${tenantId} AND order_id = ANY(${more}::text[]) AND (created_at < ${windowFrom} OR created_at >= ${windowTo})`,
        db.$queryRaw<SagaFacts[]>`
          SELECT ${SAGA_COLUMNS}
            FROM payment_sagas WHERE tenant_id = ${tenantId} AND order_id = ANY(${more}::text[])`,
      ])
    : [[], []];
  // In id order (the order they were written).
  const ledger = windowLedger.filter((l) => scope.has(l.orderId));
  for (const l of outsideRows) if (scope.has(l.orderId)) ledger.push(l);
  for (const l of moreOutside) if (scope.has(l.orderId)) ledger.push(l);
  ledger.sort(byLedgerId);
  const sagas = new Map<string, SagaFacts>();
  for (const s of sagaRows) if (scope.has(s.orderId)) sagas.set(s.orderId, s);
  for (const s of moreSagas) if (scope.has(s.orderId)) sagas.set(s.orderId, s);
  const t2 = performance.now();

  // --- Pair ledger rows with provider objects.
  const oursById = new Map(ours.map((r) => [r.id, r]));
  const oursByKey = new Map(ours.filter((r) => r.idempotencyKey).map((r) => [r.idempotencyKey!, r]));
  const used = new Set<string>();
  const stories = new Map<string, OrderStory>();
  const story = (orderId: string) => {
    let s = stories.get(orderId);
    if (!s) {
      s = { orderId, saga: sagas.get(orderId) ?? null, movements: [], chargeNetCents: 0, transferNetCents: 0, insuranceBilledCents: 0 };
      stories.set(orderId, s);
    }
    return s;
  };
  // Verifiable when the window covers the row's whole life, give or take the clock skew (ISO text compares as time).
  const verifiableFrom = new Date(windowFrom.getTime() + skew).toISOString();
  const verifiableTo = new Date(windowTo.getTime() - skew).toISOString();
  for (const l of ledger) {
    const p = (l.providerId ? oursById.get(l.providerId) : undefined) ?? oursByKey.get(l.idempotencyKey) ?? null;
    if (p) used.add(p.id);
    // The provider does not list cancellations of insurance fees: they are never checked one by one.
    const verifiable = l.kind !== 'insurance_cancel' && l.createdAt >= verifiableFrom && l.updatedAt < verifiableTo;
    const at = p ? p.createdAt : l.status === 'succeeded' ? l.updatedAt : l.createdAt;
    story(l.orderId).movements.push({ kind: l.kind, ledger: l, provider: p, verifiable, at });
  }
  const orphans: Movement[] = [];
  for (const r of ours) {
    if (used.has(r.id)) continue;
    const m: Movement = { kind: r.kind as MovementKind, ledger: null, provider: r, verifiable: true, at: r.createdAt };
    const c = orderOf(r);
    if (c) story(c).movements.push(m);
    else orphans.push(m);
  }
  for (const s of sagas.values()) story(s.orderId);

  // --- Compare.
  const mismatches: Mismatch[] = [];
  const add = (m: Omit<Mismatch, 'key' | 'detail'>) => mismatches.push({ ...m, key: `${m.kind}:${m.subject}`, detail: englishWords(m.words) });
  const covered = new Set<Movement>();
  const movementByProviderId = new Map<string, Movement>();
  for (const s of stories.values()) for (const m of s.movements) {
    const id = m.provider?.id ?? m.ledger?.providerId;
    if (id) movementByProviderId.set(id, m);
  }
  const amountOf = (m: Movement) => m.provider?.amountCents ?? m.ledger?.amountCents ?? 0;
  const idOf = (m: Movement) => m.provider?.id ?? m.ledger?.providerId ?? m.ledger?.idempotencyKey ?? '?';
  const sourceOf = (m: Movement) => m.provider?.sourceId ?? m.ledger?.relatedProviderId ?? null;

  for (const s of stories.values()) {
    const cancelled = s.movements.some((m) => m.kind === 'insurance_cancel')
      ? new Set(s.movements.filter((m) => m.kind === 'insurance_cancel' && m.ledger?.status === 'succeeded').map((m) => m.ledger!.relatedProviderId))
      : null;
    /** Did the movement happen, as far as can be known? The provider when it reports it or can be trusted to; else the ledger. */
    const happened = (m: Movement): boolean => {
      if (m.provider) return happenedAtProvider(m.provider);
      if (m.kind === 'insurance') return !m.verifiable && m.ledger!.status === 'succeeded' && !cancelled?.has(m.ledger!.providerId);
      return !m.verifiable && m.ledger?.status === 'succeeded';
    };
    const sums: Record<MovementKind, number> = { charge: 0, refund: 0, transfer: 0, transfer_reversal: 0, insurance: 0, insurance_cancel: 0 };
    for (const m of s.movements) if (happened(m)) sums[m.kind] += amountOf(m);
    s.chargeNetCents = sums.charge - sums.refund;
    s.transferNetCents = sums.transfer - sums.transfer_reversal;
    s.insuranceBilledCents = sums.insurance;
    s.movements.sort((a, b) => compare(a.at, b.at) || kindOrder(a.kind) - kindOrder(b.kind));

    const saga = s.saga;
    const inFlight = saga?.status === 'running' && now.getTime() - Date.parse(saga.startedAt) < grace;
    const charges = s.movements.filter((m) => m.kind === 'charge');
    const orderAt = charges[0]?.at ?? s.movements[0]?.at ?? saga?.startedAt ?? null;

    // Order level: money taken with no outcome, or a failed saga that left money moved.
    if (!inFlight && orderAt && inPeriod(orderAt) && s.chargeNetCents > 0) {
      const noOutcome = !saga || saga.status === 'running' || saga.status === 'failed';
      if (noOutcome) {
        const charge = charges.find(happened);
        add({
          kind: 'charged_without_outcome', orderId: s.orderId, subject: charge ? idOf(charge) : s.orderId, objectKind: 'charge',
          ledgerCents: charge?.ledger?.amountCents ?? null, providerCents: charge?.provider?.amountCents ?? null, atStakeCents: s.chargeNetCents, at: orderAt,
          words: !saga
            ? { code: 'chargedNoSaga', values: { amount: formatEuros(s.chargeNetCents) } }
            : saga.status === 'running'
              ? { code: 'chargedNoOutcome', values: { amount: formatEuros(s.chargeNetCents), since: saga.startedAt.slice(0, 16).replace('T', ' ') } }
              : { code: 'chargedAfterFailure', values: { amount: formatEuros(s.chargeNetCents) } },
        });
        if (charge) covered.add(charge);
      }
    }
    if (!inFlight && orderAt && inPeriod(orderAt) && saga && (saga.status === 'compensated' || saga.status === 'compensation_incomplete')) {
      const parts: OperatorWords[] = [
        ...(s.chargeNetCents > 0 ? [{ code: 'buyerNotRefunded' as const, values: { amount: formatEuros(s.chargeNetCents) } }] : []),
        ...(s.transferNetCents > 0 ? [{ code: 'sellerNotReversed' as const, values: { amount: formatEuros(s.transferNetCents) } }] : []),
        ...(s.insuranceBilledCents > 0 ? [{ code: 'insuranceStillBilled' as const, values: { amount: formatEuros(s.insuranceBilledCents) } }] : []),
      ];
      if (parts.length) {
        add({
          kind: 'compensation_incomplete', orderId: s.orderId, subject: s.orderId, objectKind: 'order', ledgerCents: null, providerCents: null,
          atStakeCents: Math.max(s.chargeNetCents, 0) + Math.max(s.transferNetCents, 0) + s.insuranceBilledCents, at: orderAt,
          words: { code: saga.status === 'compensated' ? 'compensatedYet' : 'incompleteYet', values: { parts } },
        });
      }
    }

    // Refunds: the same money back twice, or a refund outside our records beside ours.
    for (const charge of charges) {
      const chargeId = idOf(charge);
      const refunds = s.movements.filter((m) => m.kind === 'refund' && sourceOf(m) === chargeId && happened(m));
      if (refunds.length < 2) continue;
      const amounts = refunds.map(amountOf);
      const repeated = new Set(amounts).size < amounts.length;
      const unknown = refunds.filter((r) => !r.ledger);
      if (!repeated && unknown.length === 0) continue;
      const at = refunds.map((r) => r.at).sort().at(-1)!;
      for (const r of refunds) covered.add(r);
      if (!inPeriod(at)) continue;
      const total = amounts.reduce((a, b) => a + b, 0);
      add({
        kind: 'refunded_twice', orderId: s.orderId, subject: chargeId, objectKind: 'refund', ledgerCents: null, providerCents: total,
        atStakeCents: total - Math.max(...amounts), at,
        words: {
          code: 'refundsOnCharge',
          values: { count: refunds.length, chargeId, parts: refunds.map((r) => ({ code: r.ledger ? 'refundItem' : 'refundItemNotInLedger', values: { amount: formatEuros(amountOf(r)), id: idOf(r) } })) },
        },
      });
    }
  }

  // Movement level, one mismatch at most per movement.
  const checkMovement = (m: Movement, s: OrderStory | null) => {
    if (covered.has(m) || !inPeriod(m.at)) return;
    const saga = s?.saga ?? null;
    const inFlight = saga?.status === 'running' && now.getTime() - Date.parse(saga.startedAt) < grace;
    const orderId = s?.orderId ?? null;
    // Made only for a mismatch: most movements have none.
    const base = () => ({ orderId, objectKind: m.kind, ledgerCents: m.ledger?.amountCents ?? null, providerCents: m.provider?.amountCents ?? null, at: m.at });

    if (m.kind === 'transfer' && (m.provider ? happenedAtProvider(m.provider) : m.ledger?.status === 'succeeded' && !m.verifiable)) {
      const src = sourceOf(m);
      const charge = src ? movementByProviderId.get(src) : undefined;
      const chargeOk = charge && charge.kind === 'charge' && (charge.provider ? happenedAtProvider(charge.provider) : charge.ledger?.status === 'succeeded' && !charge.verifiable);
      if (!chargeOk) {
        add({
          ...base(), kind: 'transfer_without_charge', subject: idOf(m), atStakeCents: amountOf(m),
          words: { code: !src ? 'transferNoCharge' : !charge ? 'transferUnknownCharge' : 'transferFailedCharge', values: { id: idOf(m), amount: formatEuros(amountOf(m)), chargeId: src ?? '' } },
        });
        return;
      }
    }
    if (!m.ledger) {
      if (m.provider && happenedAtProvider(m.provider)) {
        add({ ...base(), kind: 'unknown_to_ledger', subject: m.provider.id, atStakeCents: m.provider.amountCents, words: { code: m.provider.idempotencyKey ? 'unknownToLedgerKey' : 'unknownToLedger', values: { movement: m.kind, amount: formatEuros(m.provider.amountCents), id: m.provider.id, key: m.provider.idempotencyKey ?? '' } } });
      }
      return;
    }
    if (inFlight || m.kind === 'insurance_cancel') return;
    const l = m.ledger;
    if (m.provider) {
      const did = happenedAtProvider(m.provider);
      if (did !== (l.status === 'succeeded') || (l.status === 'pending' && !did)) {
        add({
          ...base(), kind: 'status_differs', subject: m.provider.id, atStakeCents: amountOf(m),
          words: { code: 'statusDiffers', values: { movement: m.kind, status: l.status, providerStatus: m.provider.status, id: m.provider.id } },
        });
      } else if (m.kind === 'insurance' && cancelledIn(s, m.provider.id)) {
        add({ ...base(), kind: 'status_differs', subject: m.provider.id, atStakeCents: amountOf(m), words: { code: 'cancelledStillBilled', values: { id: m.provider.id } } });
      } else if (m.provider.amountCents !== l.amountCents) {
        add({
          ...base(), kind: 'amount_differs', subject: m.provider.id, atStakeCents: Math.abs(m.provider.amountCents - l.amountCents),
          words: { code: 'amountDiffers', values: { ledgerAmount: formatEuros(l.amountCents), movement: m.kind, providerAmount: formatEuros(m.provider.amountCents), id: m.provider.id } },
        });
      }
      return;
    }
    if (!m.verifiable) return;
    if (m.kind === 'insurance' && l.status === 'succeeded' && cancelledIn(s, l.providerId)) return;
    if (l.status === 'succeeded') {
      add({ ...base(), kind: 'status_differs', subject: l.providerId ?? l.idempotencyKey, atStakeCents: l.amountCents, words: { code: l.providerId ? 'providerMissing' : 'providerMissingNoId', values: { movement: m.kind, id: l.providerId ?? '' } } });
    } else if (l.status === 'pending') {
      add({ ...base(), kind: 'status_differs', subject: l.idempotencyKey, atStakeCents: l.amountCents, words: { code: l.attempts > 1 ? 'inDoubt' : 'inDoubtOne', values: { movement: m.kind, count: l.attempts, key: l.idempotencyKey } } });
    }
  };
  for (const s of stories.values()) for (const m of s.movements) checkMovement(m, s);
  for (const m of orphans) checkMovement(m, null);

  mismatches.sort((a, b) => compare(a.at, b.at) || compare(a.key, b.key));
  const totals = Object.fromEntries(MISMATCH_KINDS.map((k) => [k, { count: 0, atStakeCents: 0 }])) as ReconcileResult['totals'];
  for (const m of mismatches) {
    totals[m.kind].count++;
    totals[m.kind].atStakeCents += m.atStakeCents;
  }
  const t3 = performance.now();
  return {
    tenantId,
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: now.toISOString(),
    counts: { orders: stories.size, ledgerRows: ledger.length, providerObjects: ours.length },
    mirror,
    timings: { syncMs: t1 - t0, readMs: t2 - t1, compareMs: t3 - t2, totalMs: t3 - t0 },
    mismatches,
    totals,
    stories,
  };
}

function cancelledIn(s: OrderStory | null, insuranceId: string | null): boolean {
  return Boolean(s && insuranceId && s.movements.some((m) => m.kind === 'insurance_cancel' && m.ledger?.status === 'succeeded' && m.ledger.relatedProviderId === insuranceId));
}

/** Code-point order: ISO times and keys need no locale, and localeCompare is slow on 30 000 rows. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const ORDER: Record<MovementKind, number> = { charge: 0, transfer: 1, insurance: 2, insurance_cancel: 3, transfer_reversal: 4, refund: 5 };
const kindOrder = (k: MovementKind) => ORDER[k];
