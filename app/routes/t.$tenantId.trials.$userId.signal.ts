// POST /t/<tenant>/trials/<user>/signal: send one of the onboarding workflow's signals.
import type { ActionFunctionArgs } from '@remix-run/node';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { sendTrialSignal, trialSignalForm } from '~/trials/signal.server';

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'signal:workflow');
  const form = await parseForm(request, trialSignalForm);
  return actionResponse(await sendTrialSignal(ctx, params.userId ?? '', form));
}
