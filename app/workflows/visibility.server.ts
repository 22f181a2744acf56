// Server-side paging and sorting over Temporal visibility. SQL visibility (the dev server,
// and clusters on PostgreSQL/MySQL) has no ORDER BY, so sorting by an attribute with a
// small set of values (trial day 0–14, phase, subscribed, status) walks one filtered query
// per value, in order, and the page cursor remembers which value and which page token it
// reached. Each page costs a handful of visibility calls, never one call per row.
import { createHmac, randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { tenantQuery } from '../../temporal/search-attributes';
import { env } from '../server/env.server';
import { invariantResponse } from '../server/http.server';
import { latestRun, listWorkflowPage, runsOfWorkflows, type WorkflowRow } from './list.server';
import { runsOfRow, type RunChains } from './run-chains.server';

export interface SortBuckets {
  /** The clause for one value, e.g. `TrialDay = 3`. */
  clause: (value: string | number | boolean) => string;
  values: readonly (string | number | boolean)[];
}

const cursorSchema = z.object({ b: z.number().int().min(0), t: z.string().nullable() });
type Cursor = z.infer<typeof cursorSchema>;

// A cursor carries Temporal's page token, which the visibility store decodes as it likes: a forged
// one fails there (on SQL visibility as UNKNOWN, which the client retries for seconds before the
// page fails). So only cursors this console issued reach Temporal: each is bound by an HMAC to its
// tenant and its query, and anything else is a 400 naming "cursor". Without SESSION_SECRET, each
// console process has its own key (set it when running several behind one address).
const g = globalThis as unknown as { __vigieCursorSecret?: string };
const secret = () => (g.__vigieCursorSecret ??= env().SESSION_SECRET ?? randomBytes(32).toString('base64url'));
const mac = (scope: string, body: string) => createHmac('sha256', secret()).update(scope).update('\0').update(body).digest('base64url').slice(0, 22);

export const BAD_CURSOR = 'Filter “cursor”: not a page of this list (it was altered, or belongs to other filters or an older session); start again from the first page.';

export function encodeCursor(scope: string, c: Cursor) {
  const body = Buffer.from(JSON.stringify(c)).toString('base64url');
  return `${body}.${mac(scope, body)}`;
}

/** The cursor, or null when it is not one this console issued for this scope. */
export function decodeCursor(scope: string, raw: string): Cursor | null {
  const [body, m, ...rest] = raw.split('.');
  if (!body || !m || rest.length || mac(scope, body) !== m) return null;
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}

/** Visibility calls one page may make while `keep` drops rows; past them the page is shorter. */
const MAX_CALLS_PER_PAGE = 8;

export async function sortedWorkflowPage(
  client: Client,
  tenantId: string,
  opts: {
    filter?: string;
    buckets?: SortBuckets;
    pageSize: number;
    cursor: string | null;
    /** The rows of a fetched batch to show (e.g. one per workflow id); the page fetches on until it is full. */
    keep?: (rows: WorkflowRow[]) => Promise<WorkflowRow[]>;
  },
): Promise<{ rows: WorkflowRow[]; nextCursor: string | null }> {
  // A page of one tenant's list, with these filters and this order: a cursor from any other is refused.
  const scope = [tenantId, opts.filter ?? '', opts.buckets?.values.join(',') ?? ''].join('\0');
  const cursor = opts.cursor ? decodeCursor(scope, opts.cursor) : { b: 0, t: null };
  invariantResponse(cursor, BAD_CURSOR, 400);
  // Without buckets, the list is one bucket: the filter alone, in visibility's own order.
  const values = opts.buckets?.values ?? [null];
  const rows: WorkflowRow[] = [];
  let { b, t } = cursor;
  for (let calls = 0; b < values.length && rows.length < opts.pageSize && calls < MAX_CALLS_PER_PAGE; calls++) {
    const value = values[b];
    const filter = [opts.filter, value === null || !opts.buckets ? undefined : opts.buckets.clause(value)].filter(Boolean).map((f) => `(${f})`).join(' AND ');
    // Asks for no more than the page still needs: the page token then points just after the last row shown.
    const page = await listWorkflowPage(client, tenantId, { filter: filter || undefined, pageSize: opts.pageSize - rows.length, pageToken: t });
    rows.push(...(opts.keep ? await opts.keep(page.rows) : page.rows));
    if (page.nextPageToken) t = page.nextPageToken;
    else { b += 1; t = null; }
  }
  return { rows, nextCursor: b < values.length ? encodeCursor(scope, { b, t }) : null };
}

export async function countWorkflows(client: Client, tenantId: string, filter?: string) {
  const { count } = await client.workflow.count(tenantQuery(tenantId, filter));
  return count;
}

/**
 * Only the latest run of each workflow id: the rows `keep` of sortedWorkflowPage leaves, and each
 * kept row's runs (a reset's earlier runs), for the page to group them under it. A running row is
 * always the latest (one run of an id runs at a time) and takes its runs from the remembered
 * chains; a closed row is checked live, since a newer run may have started since they were read.
 */
export function latestRunsOnly(client: Client, tenantId: string, chains: Promise<RunChains>) {
  const runs = new Map<string, readonly WorkflowRow[]>();
  const keep = async (rows: WorkflowRow[]) => {
    const closed = rows.filter((r) => r.status !== 'RUNNING').map((r) => r.workflowId);
    const [known, live] = await Promise.all([chains, closed.length ? runsOfWorkflows(client, tenantId, closed) : new Map<string, WorkflowRow[]>()]);
    const kept: WorkflowRow[] = [];
    for (const row of rows) {
      const own = runsOfRow(row, live, known);
      if (row.status === 'RUNNING' || latestRun(own)?.runId === row.runId) {
        runs.set(row.workflowId, own);
        kept.push(row);
      }
    }
    return kept;
  };
  return { keep, runsOf: (row: WorkflowRow) => runs.get(row.workflowId) ?? [row] };
}

/**
 * How many workflow ids (not runs) match the filter by their latest run: visibility's count of
 * runs, less the earlier runs of the remembered chains that match it too (`matches` says whether
 * a run matches the filter, as visibility would).
 */
export async function countLatestRuns(client: Client, tenantId: string, filter: string, chains: Promise<RunChains>, matches: (run: WorkflowRow) => boolean) {
  const [runs, known] = await Promise.all([countWorkflows(client, tenantId, filter), chains]);
  let superseded = 0;
  for (const chain of known.values()) {
    const latest = latestRun(chain);
    superseded += chain.filter((r) => r !== latest && matches(r)).length;
  }
  return runs - superseded;
}

export async function countByStatus(client: Client, tenantId: string, filter?: string) {
  const res = await client.workflow.count(`${tenantQuery(tenantId, filter)} GROUP BY ExecutionStatus`);
  const out: Record<string, number> = {};
  for (const g of res.groups) out[String(g.groupValues[0]?.[0] ?? g.groupValues[0])] = g.count;
  return out;
}
