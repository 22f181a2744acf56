// GET /t/<tenant>/checkouts/stream?kinds=checkout,kanban: server-sent events after each
// ingestion write of this tenant; the live pages reload their loader data on each.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireTenantPermission } from '~/server/auth.server';
import { eventStream, type LiveKind } from '~/ingest/live.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const asked = (new URL(request.url).searchParams.get('kinds') ?? 'checkout').split(',');
  const kinds = (['checkout', 'kanban'] as const).filter((k): k is LiveKind => asked.includes(k));
  return eventStream(request, ctx.tenantId, kinds.length ? kinds : ['checkout']);
}
