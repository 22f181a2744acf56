// Server-side paging and sorting over Temporal visibility. SQL visibility (the dev server,
// and clusters on PostgreSQL/MySQL) has no ORDER BY, so sorting by an attribute with a
// small set of values (trial day 0–14, phase, subscribed, status) walks one filtered query
// per value, in order, and the page cursor remembers which value and which page token it
// reached. Each page costs a handful of visibility calls, never one call per row.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { tenantQuery } from '../../temporal/search-attributes';
import { listWorkflowPage, type WorkflowRow } from './list.server';

export interface SortBuckets {
  /** The clause for one value, e.g. `TrialDay = 3`. */
  clause: (value: string | number | boolean) => string;
  values: readonly (string | number | boolean)[];
}

const cursorSchema = z.object({ b: z.number().int().min(0), t: z.string().nullable() });
type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(c: Cursor) {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(raw: string | null): Cursor | null {
  if (!raw) return null;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}

export async function sortedWorkflowPage(
  client: Client,
  tenantId: string,
  opts: { filter?: string; buckets?: SortBuckets; pageSize: number; cursor: string | null },
): Promise<{ rows: WorkflowRow[]; nextCursor: string | null }> {
  const cursor = decodeCursor(opts.cursor) ?? { b: 0, t: null };
  if (!opts.buckets) {
    const page = await listWorkflowPage(client, tenantId, { filter: opts.filter, pageSize: opts.pageSize, pageToken: cursor.t });
    return { rows: page.rows, nextCursor: page.nextPageToken ? encodeCursor({ b: 0, t: page.nextPageToken }) : null };
  }
  const { values, clause } = opts.buckets;
  const rows: WorkflowRow[] = [];
  let { b, t } = cursor;
  while (b < values.length && rows.length < opts.pageSize) {
    const filter = [opts.filter, clause(values[b])].filter(Boolean).map((f) => `(${f})`).join(' AND ');
    const page = await listWorkflowPage(client, tenantId, { filter, pageSize: opts.pageSize - rows.length, pageToken: t });
    rows.push(...page.rows);
    if (page.nextPageToken) t = page.nextPageToken;
    else { b += 1; t = null; }
  }
  return { rows, nextCursor: b < values.length ? encodeCursor({ b, t }) : null };
}

export async function countWorkflows(client: Client, tenantId: string, filter?: string) {
  const { count } = await client.workflow.count(tenantQuery(tenantId, filter));
  return count;
}

export async function countByStatus(client: Client, tenantId: string, filter?: string) {
  const res = await client.workflow.count(`${tenantQuery(tenantId, filter)} GROUP BY ExecutionStatus`);
  const out: Record<string, number> = {};
  for (const g of res.groups) out[String(g.groupValues[0]?.[0] ?? g.groupValues[0])] = g.count;
  return out;
}
