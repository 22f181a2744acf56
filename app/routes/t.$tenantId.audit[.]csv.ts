// GET /t/<tenant>/audit.csv?<filters>: the filtered audit log as a CSV download.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { auditCsvStream, auditQuerySchema, recordAuditExport } from '~/server/audit.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { operatorTimeZone } from '~/preferences/preferences.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:audit');
  // The whole log of the filters: a paging cursor, if any, is ignored.
  const { before: _before, ...query } = parseSearch(request, auditQuerySchema);
  // Days in the operator's zone, as on the page.
  const filters = { ...query, tz: operatorTimeZone(ctx) };
  await recordAuditExport(ctx, filters);
  const filename = `audit-${ctx.tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(auditCsvStream(ctx.tenantId, filters), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
