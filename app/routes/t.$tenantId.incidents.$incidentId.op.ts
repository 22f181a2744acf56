// POST /t/<tenant>/incidents/<id>/op: acknowledge, assign, note or resolve an incident.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { changeIncident, incidentOpForm } from '~/finance/incidents.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'reconcile:payment');
  const form = await parseForm(request, incidentOpForm);
  return actionResponse(await changeIncident(ctx, params.incidentId ?? '', form));
}
