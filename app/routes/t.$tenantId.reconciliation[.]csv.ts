// GET /t/<tenant>/reconciliation.csv?from&to&kind&state: the period's mismatches as CSV.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireTenantPermission } from '~/server/auth.server';
import { parsePeriod, reconciliationCsv } from '~/finance/reconciliation.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const parsed = parsePeriod(new URL(request.url).searchParams);
  if (!parsed.ok) return new Response(`${parsed.error}\n`, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const body = await reconciliationCsv(ctx, parsed.period);
  const filename = `reconciliation-${ctx.tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}-${parsed.period.from}-${parsed.period.to}.csv`;
  return new Response(body, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' },
  });
}
