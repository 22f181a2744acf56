// POST /t/<tenant>/payments/<order>/money: refund, send a pending refund again, or retry a
// failed saga compensation. JSON answer for ActionDialog.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { refundForm, runMoneyAction } from '~/finance/refunds.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'refund:payment');
  const form = await parseForm(request, refundForm);
  return actionResponse(await runMoneyAction(ctx, params.commandeId ?? '', form));
}
