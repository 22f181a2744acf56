// GET /t/<tenant>/workflows/<id>/reset-points: the workflow tasks the latest run can be reset to,
// each named by the business step before it. Asked by the reset dialog when it opens, so the
// workflow page itself never waits on it (a signal-heavy history puts its points far apart).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { requireTenantPermission } from '~/server/auth.server';
import { temporal } from '~/server/temporal.server';
import { describeTenantWorkflow } from '~/workflows/list.server';
import { resetPoints } from '~/workflows/ops.server';
import { serverT } from '~/i18n/server-t.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'reset:workflow');
  const client = await temporal();
  const d = await describeTenantWorkflow(client, ctx.tenantId, params.workflowId ?? '');
  return json({ runId: d.runId, points: await resetPoints(client, d.workflowId, d.runId, serverT(ctx.language, 'workflows')) }, { headers: { 'Cache-Control': 'no-store' } });
}
