// The on-call workflow filters: parsed with zod from the URL (or a batch form) and turned
// into a visibility clause here, on the server. Browser input never reaches the query as text.
import { z } from 'zod';
import { visibilityLiteral } from '../../temporal/search-attributes';
import { isWallTime, wallTimeToInstant } from '../components/time';
import { DATE_RANGE, ZONE_MARGIN_MS, inDateRange, timeZone } from '../server/fields';
import type { StaffContext } from '../server/auth.server';
import { operatorTimeZone } from '../preferences/preferences.server';
import type { Client } from '@temporalio/client';
import { invariantResponse } from '../server/http.server';
import { ATTRIBUTE_COLUMN, DEFAULT_WORKFLOW_COLUMNS, MAX_WORKFLOW_COLUMNS, PAGE_SIZES, PHASES, STATUSES, WORKFLOW_COLUMNS, WORKFLOW_TYPES } from './labels';
import { advancedQuery, advancedQueryClause, attributeClause, attributeFilterShape, customSearchAttributes } from './query.server';
import type { WorkflowsT } from './history.server';

// "Started after / before" are what a datetime-local input sends: a wall-clock time, read in the
// zone named in `tz`, else the operator's stored zone (inOperatorZone; never the server's zone).
// An instant with an explicit offset ("…Z", "…+01:00") is taken as it is.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const startTimeBound = z.string().trim().refine(
  (s) => isWallTime(s) || (INSTANT.test(s) && !Number.isNaN(Date.parse(s))),
  'expected a date and time as YYYY-MM-DDTHH:MM',
).refine(
  // Temporal refuses a year past 9999 (or before 0): a wall-clock time keeps a day of margin for its zone.
  (s) => (isWallTime(s) ? inDateRange(Date.parse(`${s}Z`), ZONE_MARGIN_MS) : !INSTANT.test(s) || inDateRange(Date.parse(s))),
  `expected a date and time ${DATE_RANGE}`,
);

export const workflowFilterSchema = z.object({
  status: z.enum(STATUSES).optional(),
  type: z.enum(WORKFLOW_TYPES).optional(),
  from: startTimeBound.optional(),
  to: startTimeBound.optional(),
  /** The IANA zone in which `from` and `to` are read; the operator's own when absent (inOperatorZone). */
  tz: timeZone.optional(),
  phase: z.enum(PHASES).optional(),
  sagaStatus: z.string().regex(/^[\p{L}_]{1,40}$/u, 'is not a saga status').optional(),
  orderId: z.string().regex(/^[\w.:-]{1,100}$/, 'is not an order id').optional(),
  workflowId: z.string().regex(/^[\w.@:-]{1,255}$/, 'is not a workflow id').optional(),
  /** Conditions on the namespace's custom search attributes (a1/o1/v1 …), checked against its list. */
  ...attributeFilterShape,
  /** An advanced visibility query, checked by advancedQueryClause before it runs inside the tenant clause. */
  q: advancedQuery.optional(),
});
export type WorkflowFilter = z.infer<typeof workflowFilterSchema>;

/** The workflow list's query string: the filters, the view, the page size (≤ 500, the Temporal UI's maximum) and the page's cursor. */
/** `cols`: the list's columns, comma-separated, in order (the id always comes first); none: the default set. */
const columnsParam = z.string().max(2000).transform((raw, ctx) => {
  const cols = [...new Set(raw.split(',').map((c) => c.trim()).filter(Boolean))];
  const bad = cols.find((c) => !(WORKFLOW_COLUMNS as readonly string[]).includes(c) && !ATTRIBUTE_COLUMN.test(c));
  if (bad) ctx.addIssue({ code: 'custom', message: `“${bad}” is not a column (${WORKFLOW_COLUMNS.join(', ')}, or sa:<search attribute>)` });
  if (cols.length > MAX_WORKFLOW_COLUMNS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_WORKFLOW_COLUMNS} columns` });
  return cols.length ? cols : [...DEFAULT_WORKFLOW_COLUMNS];
});

/** A column list's search attributes that the namespace does not have: a 400 naming the first. */
export function refuseUnknownColumns(cols: string[], attributes: Record<string, unknown>, t: WorkflowsT) {
  const unknown = cols.find((c) => ATTRIBUTE_COLUMN.test(c) && !(c.slice(3) in attributes));
  invariantResponse(!unknown, t('filterProblems.filter', { name: 'cols', problem: t('filterProblems.unknownColumn', { column: unknown }) }), 400);
}

export const workflowListQuery = workflowFilterSchema.extend({
  cols: columnsParam.optional().transform((v) => v ?? [...DEFAULT_WORKFLOW_COLUMNS]),
  view: z.string().optional().transform((v) => (v === 'stuck' ? 'stuck' : 'all')),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), `must be one of ${PAGE_SIZES.join(', ')}`).default(50),
  cursor: z.string().max(2000).optional(),
});

export function parseWorkflowFilter(entries: Iterable<[string, string]>) {
  const keys = Object.keys(workflowFilterSchema.shape);
  const raw = Object.fromEntries([...entries].filter(([k, v]) => keys.includes(k) && v !== ''));
  return workflowFilterSchema.safeParse(raw);
}

/** The filter with its zone: the one it names, else the operator's, so the list, its CSV and a batch read times alike. */
export function inOperatorZone<F extends { tz?: string }>(filter: F, staff: Pick<StaffContext, 'timeZone'>): F & { tz: string } {
  return { ...filter, tz: filter.tz ?? operatorTimeZone(staff) };
}

/** A validated bound as the instant it names: a wall-clock time is read in the filter's zone. */
export function startTimeInstant(bound: string, tz: string | undefined): string {
  return isWallTime(bound) ? wallTimeToInstant(bound, tz ?? 'UTC') : new Date(bound).toISOString();
}

/** The filter's start-time window as instants (for the list to show what it searched, and for a batch to act on). */
export function startTimeWindow(f: WorkflowFilter): { from: string | null; to: string | null } {
  return { from: f.from ? startTimeInstant(f.from, f.tz) : null, to: f.to ? startTimeInstant(f.to, f.tz) : null };
}

export function workflowFilterClause(f: WorkflowFilter): string | undefined {
  const parts: string[] = [];
  const window = startTimeWindow(f);
  if (f.status) parts.push(`ExecutionStatus = '${f.status}'`);
  if (f.type) parts.push(`WorkflowType = '${f.type}'`);
  if (window.from) parts.push(`StartTime >= '${window.from}'`);
  if (window.to) parts.push(`StartTime <= '${window.to}'`);
  if (f.phase) parts.push(`OnboardingPhase = ${visibilityLiteral(f.phase)}`);
  if (f.sagaStatus) parts.push(`SagaStatus = ${visibilityLiteral(f.sagaStatus)}`);
  if (f.orderId) parts.push(`OrderId = ${visibilityLiteral(f.orderId)}`);
  if (f.workflowId) parts.push(`WorkflowId = ${visibilityLiteral(f.workflowId)}`);
  return parts.length ? parts.join(' AND ') : undefined;
}

export function idsClause(ids: string[]): string {
  return `WorkflowId IN (${ids.map(visibilityLiteral).join(', ')})`;
}

/**
 * The whole filter as one clause (fixed filters, search-attribute conditions, advanced query),
 * each part in its own parentheses; tenantQuery adds the tenant in front. A condition or a query
 * that is not acceptable is a thrown 400 naming it, in the operator's words (`t`).
 */
export async function workflowQueryClause(client: Client, f: WorkflowFilter, t: WorkflowsT): Promise<string | undefined> {
  const hasAttributes = [f.a1, f.a2, f.a3].some(Boolean);
  const parts = [
    workflowFilterClause(f),
    hasAttributes ? attributeClause(f, await customSearchAttributes(client), t, f.tz) : undefined,
    advancedQueryClause(f.q, t),
  ].filter((p): p is string => Boolean(p));
  if (parts.length <= 1) return parts[0];
  return parts.map((p) => `(${p})`).join(' AND ');
}

/** Temporal's refusal of a query it cannot run (an unknown attribute, a syntax error) as a 400 naming it. */
export function refuseInvalidQuery(error: unknown, t: WorkflowsT): never {
  // A raw gRPC error carries the code; the client's ServiceError (workflow.count, workflow.list) carries it on its cause.
  type GrpcError = { code?: number; details?: string; message?: string };
  const e = error as (GrpcError & { cause?: GrpcError }) | null;
  const invalid = e?.code === 3 ? e : e?.cause?.code === 3 ? e.cause : null; // 3: INVALID_ARGUMENT
  invariantResponse(!invalid, t('filterProblems.filter', { name: 'q', problem: t('filterProblems.temporalRefused', { details: (invalid?.details ?? invalid?.message ?? '').slice(0, 200) }) }), 400);
  throw error;
}
