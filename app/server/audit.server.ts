// Reading a tenant's audit log: filters from the query string, keyset paging newest first,
// and a streamed CSV export of the same filters that spreadsheets cannot turn into formulas.
import { z } from 'zod';
import type { Prisma } from '../../prisma/db';
import { db } from './db.server';
import { day, dayRange } from './fields';
import { readSearch } from './http.server';
import type { TenantContext } from './auth.server';
import { currentRequestId } from '../../ops/log/request-id.js';
import { dayEndInstant, dayStartInstant } from '../components/time';

/** pending: written before its effect, not completed yet; refused: a 4xx (role, foreign id, key reuse…); interrupted: died mid-way. */
export const AUDIT_OUTCOMES = ['ok', 'failed', 'refused', 'pending', 'interrupted'] as const;
export const AUDIT_PAGE_SIZE = 50;
const CSV_BATCH = 1000;

const text = z.string().trim().max(200, 'use at most 200 characters').optional().transform((v) => v || undefined);
/** The audit page's query string: the filters, and the keyset cursor of an older page. */
export const auditQuerySchema = z
  .object({
    actor: text,
    action: text,
    target: text,
    outcome: z
      .string()
      .optional()
      .transform((v) => v || undefined)
      .refine((v): v is (typeof AUDIT_OUTCOMES)[number] | undefined => v === undefined || (AUDIT_OUTCOMES as readonly string[]).includes(v), {
        message: `expected one of ${AUDIT_OUTCOMES.join(', ')}`,
      }),
    from: day,
    to: day,
    before: z
      .string()
      .regex(/^[1-9]\d{0,18}$/, 'the paging cursor “before” must be a row id')
      // 19 digits can still exceed PostgreSQL's bigint.
      .refine((v) => !/^\d+$/.test(v) || BigInt(v) <= 9_223_372_036_854_775_807n, 'the paging cursor “before” must be a row id')
      .transform((v) => BigInt(v))
      .optional(),
  })
  .refine(...dayRange);

export type AuditQuery = z.infer<typeof auditQuerySchema>;
/** The query's filters; `tz`, the operator's zone, is the zone of the from/to days (UTC when absent). */
export type AuditFilters = Omit<AuditQuery, 'before'> & { tz?: string };

export type ParsedAuditQuery =
  | { ok: true; filters: AuditFilters; before: bigint | null }
  | { ok: false; error: string };

/** The audit filters of a query string, for code that holds the parameters (loaders use parseSearch). */
export function parseAuditQuery(params: URLSearchParams): ParsedAuditQuery {
  const read = readSearch(params, auditQuerySchema);
  if (!read.ok) return read;
  const { before, ...filters } = read.data;
  return { ok: true, filters, before: before ?? null };
}

// Prisma's `contains` passes LIKE wildcards through: a typed % or _ must match itself.
const literal = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/** Dates are whole days of the operator's zone (`tz`, UTC when absent), both ends included. */
export function auditWhere(tenantId: string, f: AuditFilters): Prisma.AuditLogWhereInput {
  return {
    tenantId,
    ...(f.actor && { actorEmail: { contains: literal(f.actor), mode: 'insensitive' } }),
    ...(f.action && { action: { contains: literal(f.action), mode: 'insensitive' } }),
    ...(f.target && { targetId: { contains: literal(f.target), mode: 'insensitive' } }),
    ...(f.outcome && { outcome: f.outcome }),
    ...((f.from || f.to) && {
      createdAt: { ...(f.from && { gte: dayStartInstant(f.from, f.tz ?? 'UTC') }), ...(f.to && { lt: dayEndInstant(f.to, f.tz ?? 'UTC') }) },
    }),
  };
}

export interface AuditRow {
  id: string;
  at: string;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  outcome: string;
  detail: string | null;
  idempotencyKey: string | null;
}

type AuditRecord = Awaited<ReturnType<ReturnType<typeof db>['auditLog']['findMany']>>[number];

const toRow = (r: AuditRecord): AuditRow => ({
  id: r.id.toString(),
  at: r.createdAt.toISOString(),
  actorEmail: r.actorEmail,
  action: r.action,
  targetType: r.targetType,
  targetId: r.targetId,
  reason: r.reason,
  outcome: r.outcome,
  detail: r.detail === null ? null : JSON.stringify(r.detail),
  idempotencyKey: r.idempotencyKey,
});

async function fetchBatch(tenantId: string, filters: AuditFilters, before: bigint | null, take: number) {
  const where = auditWhere(tenantId, filters);
  return db().auditLog.findMany({
    where: before === null ? where : { AND: [where, { id: { lt: before } }] },
    orderBy: { id: 'desc' },
    take,
  });
}

/** One page, newest first; `nextBefore` is the cursor of the following (older) page. */
export async function listAuditPage(tenantId: string, filters: AuditFilters, before: bigint | null, pageSize = AUDIT_PAGE_SIZE) {
  const records = await fetchBatch(tenantId, filters, before, pageSize + 1);
  const page = records.slice(0, pageSize);
  return {
    rows: page.map(toRow),
    nextBefore: records.length > pageSize ? page[page.length - 1].id.toString() : null,
  };
}

/**
 * One CSV cell. A cell starting with = + - @ (or tab / carriage return) gets a leading quote
 * so spreadsheets show it as text instead of running it as a formula; quotes, commas and
 * line breaks are enclosed in double quotes with inner quotes doubled (RFC 4180).
 */
export function csvCell(value: string | null | undefined): string {
  let v = value ?? '';
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export const csvLine = (cells: (string | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;

export const AUDIT_CSV_HEADER = ['id', 'at', 'actor_email', 'action', 'target_type', 'target_id', 'reason', 'outcome', 'detail', 'idempotency_key'];
const csvCellsOf = (r: AuditRow) => [r.id, r.at, r.actorEmail, r.action, r.targetType, r.targetId, r.reason, r.outcome, r.detail, r.idempotencyKey];

/**
 * The whole filtered log as CSV, read in keyset batches as the client consumes it, so an
 * export of any size holds one batch in memory. Starts with a BOM: Excel otherwise reads
 * UTF-8 (the seed's accented wire names) as Latin-1.
 */
export function auditCsvStream(tenantId: string, filters: AuditFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: bigint | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(AUDIT_CSV_HEADER)}`));
        return;
      }
      const batch = await fetchBatch(tenantId, filters, before, CSV_BATCH);
      if (batch.length > 0) {
        controller.enqueue(encoder.encode(batch.map((r) => csvLine(csvCellsOf(toRow(r)))).join('')));
        before = batch[batch.length - 1].id;
      }
      if (batch.length < CSV_BATCH) controller.close();
    },
  });
}

/** Exporting the log is itself recorded: who took a copy of what. */
export async function recordAuditExport(ctx: TenantContext, filters: AuditFilters) {
  await db().auditLog.create({
    data: {
      requestId: currentRequestId(),
      tenantId: ctx.tenantId,
      actorId: ctx.userId,
      actorEmail: ctx.email,
      action: 'audit:export',
      targetType: 'audit_log',
      targetId: ctx.tenantId,
      outcome: 'ok',
      detail: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
    },
  });
}
