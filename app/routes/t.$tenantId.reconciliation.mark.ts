// POST /t/<tenant>/reconciliation/mark: mark one mismatch of a period reconciled, with a reason.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { markForm, markReconciled } from '~/finance/reconciliation.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'reconcile:payment');
  const form = await parseForm(request, markForm);
  return actionResponse(await markReconciled(ctx, form));
}
