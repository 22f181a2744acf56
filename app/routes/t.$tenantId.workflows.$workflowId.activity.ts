// POST /t/<tenant>/workflows/<id>/activity: pause, unpause or reset one pending activity.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { ACTIVITY_OP_PERMISSION, activityOpForm, runActivityOp } from '~/workflows/ops.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, ACTIVITY_OP_PERMISSION);
  const form = await parseForm(request, activityOpForm);
  return actionResponse(await runActivityOp(ctx, params.workflowId ?? '', form));
}
