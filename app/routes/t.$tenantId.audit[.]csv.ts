// GET /t/<tenant>/audit.csv?<filters>: the filtered audit log as a CSV download.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { auditCsvStream, parseAuditQuery, recordAuditExport } from '~/server/audit.server';
import { requireTenantPermission } from '~/server/auth.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:audit');
  const parsed = parseAuditQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    return new Response(`${parsed.error}\n`, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  await recordAuditExport(ctx, parsed.filters);
  const filename = `audit-${ctx.tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(auditCsvStream(ctx.tenantId, parsed.filters), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
