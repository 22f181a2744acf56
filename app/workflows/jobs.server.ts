// The tenant's batch jobs as Temporal reports them: ListBatchOperations for the namespace,
// kept to the jobs Vigie started for this tenant (their ids carry the tenant, batchJobId),
// each described for its progress (total / done / failed) and outcome.
import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';
import { invariantResponse } from '../server/http.server';
import { isTenantBatchJob } from './batch.server';

const { BatchOperationState, BatchOperationType } = proto.temporal.api.enums.v1;

export interface BatchJobRow {
  jobId: string;
  /** The idempotency key the job was started with (the job id without its tenant prefix). */
  key: string;
  type: string;
  state: string;
  startTime: string | null;
  closeTime: string | null;
  total: number;
  done: number;
  failed: number;
  identity: string;
  reason: string;
}

type Ts = temporal.api.workflowservice.v1.IDescribeBatchOperationResponse['startTime'];
const iso = (ts: Ts) => (ts ? new Date((Number(ts.seconds ?? 0)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString() : null);
const enumName = (names: Record<number, string>, prefix: string, v: number | null | undefined) =>
  (names[v ?? 0] ?? 'UNSPECIFIED').replace(prefix, '').toLowerCase().replace(/_workflow$/, '').replace(/_/g, ' ');

/** Scanning the namespace's job list stops after this many pages of 100 (the newest come first). */
const MAX_LIST_PAGES = 20;

async function describeJob(client: Client, tenantId: string, jobId: string): Promise<BatchJobRow> {
  const d = await client.connection.workflowService.describeBatchOperation({ namespace: client.options.namespace, jobId });
  return {
    jobId,
    key: jobId.slice(jobId.indexOf(`/${tenantId}/`) + tenantId.length + 2),
    type: enumName(BatchOperationType, 'BATCH_OPERATION_TYPE_', d.operationType),
    state: enumName(BatchOperationState, 'BATCH_OPERATION_STATE_', d.state),
    startTime: iso(d.startTime),
    closeTime: iso(d.closeTime),
    total: Number(d.totalOperationCount ?? 0),
    done: Number(d.completeOperationCount ?? 0),
    failed: Number(d.failureOperationCount ?? 0),
    identity: d.identity ?? '',
    reason: d.reason ?? '',
  };
}

/** The tenant's batch jobs, newest first, at most `limit` of them, each with its progress. */
export async function listTenantBatchJobs(client: Client, tenantId: string, limit = 50): Promise<BatchJobRow[]> {
  const ids: string[] = [];
  let token: Uint8Array | undefined;
  for (let page = 0; page < MAX_LIST_PAGES && ids.length < limit; page++) {
    const res = await client.connection.workflowService.listBatchOperations({ namespace: client.options.namespace, pageSize: 100, nextPageToken: token });
    for (const info of res.operationInfo) if (info.jobId && isTenantBatchJob(tenantId, info.jobId)) ids.push(info.jobId);
    if (!res.nextPageToken?.length) break;
    token = res.nextPageToken;
  }
  const rows = await Promise.all(ids.slice(0, limit).map((id) => describeJob(client, tenantId, id)));
  return rows.sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''));
}

/** One job of the tenant; another tenant's (or an unknown) job id is a 404. */
export async function describeTenantBatchJob(client: Client, tenantId: string, jobId: string): Promise<BatchJobRow> {
  invariantResponse(isTenantBatchJob(tenantId, jobId), 'Not found', 404);
  try {
    return await describeJob(client, tenantId, jobId);
  } catch (error) {
    if ((error as { code?: number }).code === 5) invariantResponse(false, 'Not found', 404);
    throw error;
  }
}
