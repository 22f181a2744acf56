// Reconciliation in the console: the period from the query string, one reconciliation per
// tenant and period kept for a minute (paging, filtering and the story pages reuse it instead
// of listing the provider again), the marks finance leaves on mismatches, and the CSV export.
import { z } from 'zod';
import { decimalEuros } from '../../finance/euros';
import { reconcile, MISMATCH_KINDS, type Mismatch, type MismatchKind, type ReconcileResult } from '../../finance/reconcile';
import { ActionRefused, idempotencyKeySchema, runAuditedAction } from '../server/audited-action.server';
import { csvLine } from '../server/audit.server';
import type { TenantContext } from '../server/auth.server';
import { db } from '../server/db.server';
import { day, dayRange, reasonRequired } from '../server/fields';
import { invariantResponse, readSearch } from '../server/http.server';
import { englishFinanceWord } from './labels';
import { serverT } from '../i18n/server-t.server';
import { paymentGateway } from './gateway.server';
import { currentRequestId } from '../../ops/log/request-id.js';

const CACHE_MS = 60_000;
const CACHE_ENTRIES = 16;
export const MAX_PERIOD_DAYS = 92;
export const ROWS_PER_PAGE = 100;

const periodFields = z
  .object({
    from: day,
    to: day,
    kind: z.enum(MISMATCH_KINDS).optional(),
    state: z.enum(['open', 'reconciled', 'all']).default('open'),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  })
  .refine(...dayRange);

export interface Period {
  from: string;
  to: string;
  kind?: MismatchKind;
  state: 'open' | 'reconciled' | 'all';
  page: number;
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const start = (d: string) => new Date(`${d}T00:00:00Z`);
const after = (d: string) => new Date(start(d).getTime() + 86_400_000);

/** The period of a query string: whole UTC days, both included; the last 7 days by default. */
export const periodQuery = (today = new Date()) =>
  periodFields.transform((p, ctx): Period => {
    const to = p.to ?? (p.from && p.from > dayOf(today) ? p.from : dayOf(today));
    const from = p.from ?? dayOf(new Date(start(to).getTime() - 6 * 86_400_000));
    const days = (start(to).getTime() - start(from).getTime()) / 86_400_000 + 1;
    if (days > MAX_PERIOD_DAYS) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `a period covers at most ${MAX_PERIOD_DAYS} days (got ${days})` });
    return { ...p, from, to };
  });

/** parsePeriod for code that holds the parameters rather than a request (a form's period, tests). */
export function parsePeriod(search: URLSearchParams, today = new Date()): { ok: true; period: Period } | { ok: false; error: string } {
  const read = readSearch(search, periodQuery(today));
  return read.ok ? { ok: true, period: read.data } : read;
}

const g = globalThis as unknown as { __vigieReconciliations?: Map<string, { at: number; result: Promise<ReconcileResult> }> };
const cache = () => (g.__vigieReconciliations ??= new Map());

export function reconcilePeriod(tenantId: string, from: string, to: string, opts: { fresh?: boolean } = {}): Promise<ReconcileResult> {
  const key = `${tenantId}|${from}|${to}`;
  const hit = cache().get(key);
  if (hit && !opts.fresh && Date.now() - hit.at < CACHE_MS) return hit.result;
  const result = reconcile(db(), paymentGateway(), { tenantId, from: start(from), to: after(to) });
  cache().set(key, { at: Date.now(), result });
  result.catch(() => cache().delete(key));
  while (cache().size > CACHE_ENTRIES) cache().delete(cache().keys().next().value!);
  return result;
}

/** After money moved (a refund, a retry), the tenant's cached reconciliations are stale. */
export function forgetReconciliations(tenantId: string) {
  for (const key of [...cache().keys()]) if (key.startsWith(`${tenantId}|`)) cache().delete(key);
}

export interface MarkView {
  reason: string;
  by: string;
  at: string;
}

async function marksFor(tenantId: string, keys: string[]): Promise<Map<string, MarkView>> {
  if (keys.length === 0) return new Map();
  const rows = await db().$queryRaw<Array<{ mismatch_key: string; reason: string; actor_email: string; created_at: Date }>>`
    SELECT mismatch_key, reason, actor_email, created_at FROM reconciliation_marks WHERE tenant_id = ${tenantId} AND mismatch_key = ANY(${keys}::text[])`;
  return new Map(rows.map((r) => [r.mismatch_key, { reason: r.reason, by: r.actor_email, at: r.created_at.toISOString() }]));
}

export type MismatchRow = Mismatch & { mark: MarkView | null };

export async function reconciliationView(tenantId: string, period: Period, opts: { fresh?: boolean } = {}) {
  const result = await reconcilePeriod(tenantId, period.from, period.to, opts);
  const marks = await marksFor(tenantId, result.mismatches.map((m) => m.key));
  const rows: MismatchRow[] = result.mismatches.map((m) => ({ ...m, mark: marks.get(m.key) ?? null }));
  const totals = MISMATCH_KINDS.map((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    const open = of.filter((r) => !r.mark);
    return { kind, open: open.length, openAtStakeCents: open.reduce((n, r) => n + r.atStakeCents, 0), reconciled: of.length - open.length };
  });
  const filtered = rows.filter((r) => (!period.kind || r.kind === period.kind) && (period.state === 'all' || (period.state === 'open' ? !r.mark : r.mark)));
  const pages = Math.max(1, Math.ceil(filtered.length / ROWS_PER_PAGE));
  return {
    generatedAt: result.generatedAt,
    counts: result.counts,
    mirror: { syncedAt: result.mirror.syncedAt },
    timings: result.timings,
    totals,
    matching: filtered.length,
    pages,
    rows: filtered.slice((period.page - 1) * ROWS_PER_PAGE, period.page * ROWS_PER_PAGE),
  };
}

/** One order's whole story in the period: ledger and provider side by side, its mismatches and marks. */
export async function orderStory(tenantId: string, period: Period, orderId: string, language?: string) {
  const result = await reconcilePeriod(tenantId, period.from, period.to);
  const story = result.stories.get(orderId);
  invariantResponse(story, story ? '' : serverT(language, 'finance')('server.noMovement', { orderId, from: period.from, to: period.to }), 404);
  const mismatches = result.mismatches.filter((m) => m.orderId === orderId);
  const marks = await marksFor(tenantId, mismatches.map((m) => m.key));
  const [incident, refunds, retries, audit] = await Promise.all([
    db().financeIncident.findFirst({ where: { tenantId, orderId }, select: { id: true, status: true, severity: true } }),
    db().paymentRefund.findMany({ where: { tenantId, orderId }, orderBy: { createdAt: 'asc' } }),
    db().compensationRetry.findMany({ where: { tenantId, orderId }, orderBy: { id: 'asc' } }),
    db().auditLog.findMany({
      where: { tenantId, targetId: { in: [orderId, ...mismatches.map((m) => m.key)] } },
      orderBy: { id: 'asc' },
      take: 200,
    }),
  ]);
  return {
    story: { ...story, movements: story.movements.map((m) => ({ ...m })) },
    mismatches: mismatches.map((m) => ({ ...m, mark: marks.get(m.key) ?? null })),
    incident,
    refunds: refunds.map((r) => ({ key: r.idempotencyKey, reason: r.reason, by: r.requestedByEmail })),
    retries: retries.map((r) => ({ action: r.action, status: r.status, by: r.requestedByEmail, at: r.createdAt.toISOString() })),
    audit: audit.map((a) => ({ id: a.id.toString(), at: a.createdAt.toISOString(), actor: a.actorEmail, action: a.action, reason: a.reason, outcome: a.outcome })),
  };
}

export const markForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  key: z.string().regex(/^[a-z_]+:[^\s]{1,300}$/, 'key must be a mismatch key'),
  from: day.refine((v) => v !== undefined, 'required'),
  to: day.refine((v) => v !== undefined, 'required'),
  reason: reasonRequired,
});

/** Marks one mismatch of the period reconciled, with a reason; once per mismatch, audited. */
export async function markReconciled(ctx: TenantContext, form: z.infer<typeof markForm>) {
  const period = parsePeriod(new URLSearchParams({ from: form.from!, to: form.to! }));
  invariantResponse(period.ok, period.ok ? '' : period.error, 400);
  const result = await reconcilePeriod(ctx.tenantId, period.period.from, period.period.to);
  const mismatch = result.mismatches.find((m) => m.key === form.key);
  const t = serverT(ctx.language, 'finance');
  invariantResponse(mismatch, t('server.noSuchMismatch'), 404);
  return runAuditedAction(
    ctx,
    {
      action: 'reconcile:mark',
      targetType: 'payment_mismatch',
      targetId: mismatch.key,
      reason: form.reason,
      idempotencyKey: form.idempotencyKey,
      detail: { kind: mismatch.kind, orderId: mismatch.orderId, atStakeCents: mismatch.atStakeCents },
    },
    async () => {
      const inserted = await db().$executeRaw`
        INSERT INTO reconciliation_marks (tenant_id, mismatch_key, kind, order_id, reason, actor_id, actor_email)
        VALUES (${ctx.tenantId}, ${mismatch.key}, ${mismatch.kind}, ${mismatch.orderId}, ${form.reason}, ${ctx.userId}::uuid, ${ctx.email})
        ON CONFLICT (tenant_id, mismatch_key) DO NOTHING`;
      if (inserted === 0) {
        const mark = await db().reconciliationMark.findUnique({ where: { tenantId_mismatchKey: { tenantId: ctx.tenantId, mismatchKey: mismatch.key } } });
        throw new ActionRefused(t('server.alreadyReconciled', { by: mark?.actorEmail ?? t('server.someone'), reason: mark?.reason ?? '' }), 409);
      }
      return { message: t('server.marked') };
    },
  );
}

export const RECONCILIATION_CSV_HEADER = [
  'key', 'kind', 'kind_label', 'order_id', 'subject', 'object_kind', 'ledger_eur', 'provider_eur', 'at_stake_eur', 'at_stake_cents', 'at', 'detail', 'state', 'reconciled_by', 'reconciled_at', 'reconciled_reason',
];

/** The period's mismatches (with the page's kind and state filters, every page) as CSV, with a BOM for Excel. */
export async function reconciliationCsv(ctx: TenantContext, period: Period): Promise<string> {
  const result = await reconcilePeriod(ctx.tenantId, period.from, period.to);
  const marks = await marksFor(ctx.tenantId, result.mismatches.map((m) => m.key));
  const rows = result.mismatches
    .map((m) => ({ ...m, mark: marks.get(m.key) ?? null }))
    .filter((r) => (!period.kind || r.kind === period.kind) && (period.state === 'all' || (period.state === 'open' ? !r.mark : r.mark)));
  await db().auditLog.create({
    data: {
      requestId: currentRequestId(),
      tenantId: ctx.tenantId,
      actorId: ctx.userId,
      actorEmail: ctx.email,
      action: 'reconcile:export',
      targetType: 'reconciliation',
      targetId: `${period.from}..${period.to}`,
      outcome: 'ok',
      detail: { kind: period.kind ?? null, state: period.state, rows: rows.length },
    },
  });
  const lines = rows.map((r) =>
    csvLine([
      r.key, r.kind, englishFinanceWord('mismatch', r.kind), r.orderId, r.subject, r.objectKind, decimalEuros(r.ledgerCents), decimalEuros(r.providerCents), decimalEuros(r.atStakeCents),
      String(r.atStakeCents), r.at, r.detail, r.mark ? 'reconciled' : 'open', r.mark?.by, r.mark?.at, r.mark?.reason,
    ]),
  );
  return `\uFEFF${csvLine(RECONCILIATION_CSV_HEADER)}${lines.join('')}`;
}
