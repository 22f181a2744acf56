// GET /t/<tenant>/workflows.csv?<filters>: the filtered workflow list as a CSV download, all pages.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { temporal } from '~/server/temporal.server';
import { workflowCsvStream } from '~/workflows/export.server';
import { inOperatorZone, refuseInvalidQuery, workflowListQuery, workflowQueryClause } from '~/workflows/filters.server';
import { countWorkflows } from '~/workflows/visibility.server';
import { serverT } from '~/i18n/server-t.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  // The whole list of the filters: the page size and a paging cursor, if any, are ignored.
  // The CSV carries every column (all search attributes in one cell), whatever the list shows.
  const { view: _view, cursor: _cursor, size: _size, cols: _cols, ...query } = parseSearch(request, workflowListQuery);
  const filter = inOperatorZone(query, ctx);
  const client = await temporal();
  // The refusals are in the operator's words; the file itself stays English (decision 160).
  const t = serverT(ctx.language, 'workflows');
  const clause = await workflowQueryClause(client, filter, t);
  // A query Temporal cannot run is a 400 now, not a broken download later.
  await countWorkflows(client, ctx.tenantId, clause).catch((error: unknown) => refuseInvalidQuery(error, t));
  const filename = `workflows-${ctx.tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(workflowCsvStream(client, ctx.tenantId, clause, filter.tz), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
