// POST /t/<tenant>/payments/<order>/money: refund, send a pending refund again, or retry a
// failed saga compensation. JSON answer for ActionDialog.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse, parseForm } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { db } from '~/server/db.server';
import { invariantResponse } from '~/server/http.server';
import { refundForm, runMoneyAction } from '~/finance/refunds.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'refund:payment');
  const commandeId = params.commandeId ?? '';
  // Another tenant's (or an unknown) order is a 404 before anything is recorded.
  const saga = await db().paymentSaga.findFirst({ where: { tenantId: ctx.tenantId, commandeId }, select: { commandeId: true } });
  invariantResponse(saga, 'Not found', 404);
  const form = await parseForm(request, refundForm);
  return actionResponse(await runMoneyAction(ctx, commandeId, form));
}
