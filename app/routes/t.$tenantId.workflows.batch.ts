// POST /t/<tenant>/workflows/batch: terminate, cancel or signal many workflows at once. The
// permission depends on the operation, so the form is read before it is checked.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requirePermission, requireTenant } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { BATCH_PERMISSION, batchForm, runBatchAction } from '~/workflows/batch.server';
import { inOperatorZone } from '~/workflows/filters.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenant(request, params.tenantId);
  const form = await parseForm(request, batchForm);
  await requirePermission(ctx, BATCH_PERMISSION[form.op], request);
  return actionResponse(await runBatchAction(ctx, inOperatorZone(form, ctx)));
}
