// Which workflow ids of a tenant have more than one run (a reset's or a continue-as-new's earlier
// runs, closed), remembered for RUN_CHAINS_CACHE_MS in this process.
//
// Why remembered: a list of one row per workflow id (the trials list) must count ids, not runs,
// and show a reset's runs grouped on its row. Finding them means two visibility calls beyond the
// page and its count (the closed runs another could have replaced, then every run of their ids),
// and on SQL visibility the server answers them one after another: asked on every page, they
// doubled the trials list's time (docs/performance.md). Resets are rare; a few seconds late for
// one is what this trades for a page that costs what its own page and count cost.
//
// The bound: a reset made through this console process applies at once (the operation calls
// forgetRunChains); made elsewhere (the CLI, a batch reset running on the server, another console
// process), the count and a running row's "· N runs" follow within RUN_CHAINS_CACHE_MS (5 s by
// default, 0: read on every page). Which rows a page lists never depends on it: a closed row is
// always checked live against its workflow id's runs (latestRunsOnly), and only one run of an id
// can be running.
import type { Client } from '@temporalio/client';
import { env } from '../server/env.server';
import { listWorkflowPage, runsOfWorkflows, type WorkflowRow } from './list.server';

/** Workflow id → every run of it (any order), for the ids with more than one run. */
export type RunChains = ReadonlyMap<string, readonly WorkflowRow[]>;

// Closed runs that another run of the same workflow id can follow: a reset's earlier run closes
// as terminated (reset while running) or keeps the status it closed with (failed, timed out…).
// A completed run is not looked at: resetting a completed workflow is not done here.
const SUPERSEDABLE = "ExecutionStatus IN ('Terminated', 'Failed', 'TimedOut', 'Canceled', 'ContinuedAsNew')";

/** Asks visibility: the closed runs that can have a successor, then every run of their ids. */
export async function readRunChains(client: Client, tenantId: string, baseFilter: string): Promise<RunChains> {
  const candidates: WorkflowRow[] = [];
  let pageToken: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listWorkflowPage>> = await listWorkflowPage(client, tenantId, { filter: `(${baseFilter}) AND ${SUPERSEDABLE}`, pageSize: 1000, pageToken });
    candidates.push(...page.rows);
    pageToken = page.nextPageToken;
  } while (pageToken);
  if (candidates.length === 0) return new Map();
  const runs = await runsOfWorkflows(client, tenantId, candidates.map((r) => r.workflowId));
  return new Map([...runs].filter(([, list]) => list.length > 1));
}

interface Entry {
  /** Date.now() when the read started: what it holds is at least this recent. */
  at: number;
  chains: Promise<RunChains>;
}

const g = globalThis as unknown as { __vigieRunChains?: Map<string, Entry> };
const entries = () => (g.__vigieRunChains ??= new Map());
const keyOf = (tenantId: string, baseFilter: string) => `${tenantId}\0${baseFilter}`;

/**
 * The tenant's run chains among the workflows `baseFilter` selects: remembered for
 * RUN_CHAINS_CACHE_MS, read again after. Requests arriving during a read share it.
 */
export function runChains(client: Client, tenantId: string, baseFilter: string, now = Date.now()): Promise<RunChains> {
  const ttl = env().RUN_CHAINS_CACHE_MS;
  const key = keyOf(tenantId, baseFilter);
  const hit = entries().get(key);
  if (hit && now - hit.at < ttl) return hit.chains;
  const chains = readRunChains(client, tenantId, baseFilter);
  if (ttl > 0) {
    const entry = { at: now, chains };
    entries().set(key, entry);
    // A failed read is not remembered: the next page asks again.
    chains.catch(() => entries().get(key) === entry && entries().delete(key));
  }
  return chains;
}

/** Called by every operation that can start a new run of a workflow id (reset): the next page reads again. */
export function forgetRunChains(tenantId: string) {
  for (const key of entries().keys()) if (key.startsWith(`${tenantId}\0`)) entries().delete(key);
}

/**
 * The runs of `row`'s workflow id, from `live` (read now) or `known` (the remembered chains); a
 * chain remembered before the row's run started gets the row added.
 */
export function runsOfRow(row: WorkflowRow, ...sources: RunChains[]): readonly WorkflowRow[] {
  for (const source of sources) {
    const chain = source.get(row.workflowId);
    if (chain) return chain.some((r) => r.runId === row.runId) ? chain : [...chain, row];
  }
  return [row];
}
