// GET /t/<tenant>/workflows/<id>/history.json[?run=<runId>]: the latest (or the named) run's full event history as the JSON
// `temporal workflow show -o json` writes, which the Temporal CLI and Worker.runReplayHistory read.
// Streamed page by page, so a long history is never held in memory at once.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireTenantPermission } from '~/server/auth.server';
import { temporal } from '~/server/temporal.server';
import { historyJsonStream } from '~/workflows/history.server';
import { describeTenantWorkflow, RUN_ID } from '~/workflows/list.server';
import { parseSearch } from '~/server/http.server';
import { z } from 'zod';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const { run } = parseSearch(request, z.object({ run: z.string().regex(RUN_ID, 'is not a run id (a UUID)').optional() }));
  const client = await temporal();
  const d = await describeTenantWorkflow(client, ctx.tenantId, params.workflowId ?? '', run);
  const file = `${d.workflowId}_${d.runId}.json`.replace(/[^\w.@:-]/g, '_');
  return new Response(historyJsonStream(client, { tenantId: ctx.tenantId, workflowId: d.workflowId, runId: d.runId }), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file}"`,
      'Cache-Control': 'no-store',
    },
  });
}
