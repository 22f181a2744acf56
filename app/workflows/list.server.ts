// Reading a tenant's workflows from Temporal visibility. Every query is built here, on
// the server, and always starts with the tenant clause (docs/decisions/002).
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers.js';
import { tenantQuery, TenantId } from '../../temporal/search-attributes';
import { invariantResponse } from '../server/http.server';

export interface WorkflowRow {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  historyLength: number;
  searchAttributes: Record<string, string | number | boolean | null>;
}

function toRow(info: WorkflowExecutionInfo): WorkflowRow {
  const searchAttributes: WorkflowRow['searchAttributes'] = {};
  for (const pair of info.typedSearchAttributes.getAll()) {
    const v = pair.value;
    searchAttributes[pair.key.name] = v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(',') : (v as string | number | boolean);
  }
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    type: info.type,
    status: info.status.name,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString() ?? null,
    historyLength: info.historyLength,
    searchAttributes,
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
  const rows = await Promise.all(
    res.executions.map((raw) => executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, client.options.namespace).then(toRow)),
  );
  const token = res.nextPageToken?.length ? Buffer.from(res.nextPageToken).toString('base64url') : null;
  return { rows, nextPageToken: token };
}

/** Describe a workflow of this tenant; another tenant's (or an unknown) id is a 404. */
export async function describeTenantWorkflow(client: Client, tenantId: string, workflowId: string) {
  invariantResponse(/^[\w.:@-]{1,255}$/.test(workflowId), 'Not found', 404);
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') invariantResponse(false, 'Not found', 404);
    throw error;
  }
  invariantResponse(description.typedSearchAttributes.get(TenantId) === tenantId, 'Not found', 404);
  return description;
}
