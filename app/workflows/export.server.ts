// The filtered workflow list as CSV, every page: one visibility page (500 rows) is read as the
// client consumes the stream, so an export of any size holds one page in memory.
import type { Client } from '@temporalio/client';
import { csvLine } from '../server/audit.server';
import { instantToWallTime } from '../components/time';
import { listWorkflowPage, type WorkflowRow } from './list.server';

export const WORKFLOW_CSV_HEADER = ['workflow_id', 'run_id', 'type', 'status', 'start_time_utc', 'close_time_utc', 'start_time_local', 'history_length', 'search_attributes'];

function cellsOf(r: WorkflowRow, tz: string): string[] {
  const attributes = Object.entries(r.searchAttributes).map(([k, v]) => `${k}=${v}`).join('; ');
  return [r.workflowId, r.runId, r.type, r.status, r.startTime, r.closeTime ?? '', `${instantToWallTime(r.startTime, tz)} ${tz}`, String(r.historyLength), attributes];
}

/** The rows of the tenant matching `clause`, as CSV (with a BOM for Excel), page after page. */
export function workflowCsvStream(client: Client, tenantId: string, clause: string | undefined, tz: string, pageSize = 500): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let token: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(WORKFLOW_CSV_HEADER)}`));
        return;
      }
      const page = await listWorkflowPage(client, tenantId, { filter: clause, pageSize, pageToken: token });
      if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map((r) => csvLine(cellsOf(r, tz))).join('')));
      token = page.nextPageToken;
      if (!token) controller.close();
    },
  });
}
