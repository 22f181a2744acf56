// GET /t/<tenant>/reconciliation.csv?from&to&kind&state: the period's mismatches as CSV.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { periodQuery, reconciliationCsv } from '~/finance/reconciliation.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const period = parseSearch(request, periodQuery());
  const body = await reconciliationCsv(ctx, period);
  const filename = `reconciliation-${ctx.tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}-${period.from}-${period.to}.csv`;
  return new Response(body, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' },
  });
}
