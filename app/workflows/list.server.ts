// Reading a tenant's workflows from Temporal visibility. Every query is built here, on
// the server, and always starts with the tenant clause (docs/decisions/002).
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
// @temporalio/proto is CommonJS: a default import works under both Node ESM and bundlers.
import proto, { type temporal } from '@temporalio/proto';
import { tenantQuery, TenantId, visibilityLiteral } from '../../temporal/search-attributes';
import { invariantResponse } from '../server/http.server';

export interface WorkflowRow {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  historyLength: number;
  taskQueue: string;
  searchAttributes: Record<string, string | number | boolean | null>;
}

type RawExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

// The SDK decodes a page only inside client.workflow.list(), which hides the page token the
// Pager needs (sdk-typescript#1289); its raw decoder is internal. These few fields are ours to read.
const { WorkflowExecutionStatus } = proto.temporal.api.enums.v1;

/** The SDK's status names (describe() gives the same): RUNNING, COMPLETED, CANCELLED… */
function statusName(code: number | null | undefined): string {
  const name = WorkflowExecutionStatus[code ?? 0]?.replace('WORKFLOW_EXECUTION_STATUS_', '');
  return name === 'CANCELED' ? 'CANCELLED' : (name ?? 'UNKNOWN');
}

function toIso(ts: RawExecution['startTime']): string | null {
  if (!ts) return null;
  return new Date((ts.seconds?.toNumber() ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

/** Typed search attributes (those written with a type): lists joined, datetimes as ISO strings. */
function searchAttributesOf(raw: RawExecution): WorkflowRow['searchAttributes'] {
  const out: WorkflowRow['searchAttributes'] = {};
  for (const [name, payload] of Object.entries(raw.searchAttributes?.indexedFields ?? {})) {
    const type = payload.metadata?.type ? new TextDecoder().decode(payload.metadata.type) : null;
    if (!type) continue;
    let v = defaultPayloadConverter.fromPayload<unknown>(payload);
    if (type !== 'KeywordList' && Array.isArray(v)) v = v.length === 1 ? v[0] : null;
    if (v === null || v === undefined) continue;
    out[name] = type === 'Datetime' ? new Date(v as string).toISOString() : Array.isArray(v) ? v.join(',') : (v as string | number | boolean);
  }
  return out;
}

function toRow(raw: RawExecution): WorkflowRow {
  return {
    workflowId: raw.execution?.workflowId ?? '',
    runId: raw.execution?.runId ?? '',
    type: raw.type?.name ?? '',
    status: statusName(raw.status),
    startTime: toIso(raw.startTime)!,
    closeTime: toIso(raw.closeTime),
    historyLength: raw.historyLength?.toNumber() ?? 0,
    taskQueue: raw.taskQueue ?? '',
    searchAttributes: searchAttributesOf(raw),
  };
}

export async function listWorkflowPage(
  client: Client,
  tenantId: string,
  opts: { filter?: string; pageSize?: number; pageToken?: string | null } = {},
) {
  const res = await client.connection.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query: tenantQuery(tenantId, opts.filter),
    pageSize: opts.pageSize ?? 50,
    nextPageToken: opts.pageToken ? Buffer.from(opts.pageToken, 'base64url') : undefined,
  });
  const rows = res.executions.map(toRow);
  const token = res.nextPageToken?.length ? Buffer.from(res.nextPageToken).toString('base64url') : null;
  return { rows, nextPageToken: token };
}

/** What the console accepts as a workflow id; anything else names no workflow. */
export const WORKFLOW_ID = /^[\w.:@-]{1,255}$/;

/**
 * A workflow (its latest run, or the run named) and the tenant it belongs to (its TenantId search
 * attribute), or null when there is none. Callers check the tenant before showing anything.
 */
export async function describeWorkflowOfSomeTenant(client: Client, workflowId: string, runId?: string) {
  if (!WORKFLOW_ID.test(workflowId) || (runId !== undefined && !RUN_ID.test(runId))) return null;
  try {
    const description = await client.workflow.getHandle(workflowId, runId).describe();
    return { description, tenantId: description.typedSearchAttributes.get(TenantId) ?? null };
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return null;
    throw error;
  }
}

/** Describe a workflow of this tenant (its latest run, or the run named); another tenant's (or an unknown) id is a 404. */
export async function describeTenantWorkflow(client: Client, tenantId: string, workflowId: string, runId?: string) {
  const found = await describeWorkflowOfSomeTenant(client, workflowId, runId);
  invariantResponse(found && found.tenantId === tenantId, 'Not found', 404);
  return found.description;
}

/** A run id as Temporal writes them (a UUID); anything else names no run. */
export const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface RunLink {
  runId: string;
  status: string;
  startTime: string;
  closeTime: string | null;
}

/**
 * Every run of one workflow id of this tenant, oldest first: the chain a reset or a
 * continue-as-new makes (the old run closes as terminated or continued-as-new, the next starts).
 */
export async function workflowRuns(client: Client, tenantId: string, workflowId: string, limit = 50): Promise<{ runs: RunLink[]; more: boolean }> {
  const page = await listWorkflowPage(client, tenantId, { filter: `WorkflowId = ${visibilityLiteral(workflowId)}`, pageSize: limit });
  const runs = page.rows
    .map((r) => ({ runId: r.runId, status: r.status, startTime: r.startTime, closeTime: r.closeTime }))
    .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.runId.localeCompare(b.runId));
  return { runs, more: page.nextPageToken !== null };
}

/**
 * Every run of these workflow ids of this tenant, by id: one visibility call per 100 ids (a page
 * of 1000 runs each; more only for ids reset hundreds of times).
 */
export async function runsOfWorkflows(client: Client, tenantId: string, workflowIds: readonly string[]): Promise<Map<string, WorkflowRow[]>> {
  const ids = [...new Set(workflowIds)].filter((id) => WORKFLOW_ID.test(id));
  const chunks = Array.from({ length: Math.ceil(ids.length / 100) }, (_, i) => ids.slice(i * 100, i * 100 + 100));
  const out = new Map<string, WorkflowRow[]>();
  await Promise.all(chunks.map(async (chunk) => {
    const filter = `WorkflowId IN (${chunk.map(visibilityLiteral).join(', ')})`;
    let pageToken: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listWorkflowPage>> = await listWorkflowPage(client, tenantId, { filter, pageSize: 1000, pageToken });
      for (const r of page.rows) out.set(r.workflowId, [...(out.get(r.workflowId) ?? []), r]);
      pageToken = page.nextPageToken;
    } while (pageToken);
  }));
  return out;
}

/**
 * The run a workflow id stands for now: the running one, else the last started (a reset's new
 * run starts after the run it replaces).
 */
export function latestRun<R extends Pick<WorkflowRow, 'runId' | 'status' | 'startTime'>>(runs: readonly R[]): R | undefined {
  return runs.find((r) => r.status === 'RUNNING')
    ?? [...runs].sort((a, b) => b.startTime.localeCompare(a.startTime) || b.runId.localeCompare(a.runId))[0];
}
