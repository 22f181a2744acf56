// POST /t/<tenant>/workflows/<id>/op: cancel, terminate or reset one workflow. The permission
// depends on the operation, so the form is read before it is checked.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requirePermission, requireTenant } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { runWorkflowOp, WORKFLOW_OP_PERMISSION, workflowOpForm } from '~/workflows/ops.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  const form = await parseForm(request, workflowOpForm);
  await requirePermission(ctx, WORKFLOW_OP_PERMISSION[form.op], request);
  return actionResponse(await runWorkflowOp(ctx, params.workflowId ?? '', form));
}
