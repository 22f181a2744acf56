// PATCH /demo/<tenant>/api/move/<card>?fault=error|hang: the demo board's save
// (sauvegarderDéplacement). "hang" answers only after the machine has given up.
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { DEMO_HANG_MS, requireDemoAccess, sleep } from '~/ingest/demo.server';

export async function action({ request, params }: ActionFunctionArgs) {
  await requireDemoAccess(request, params.tenantId);
  const fault = new URL(request.url).searchParams.get('fault');
  if (fault === 'hang') {
    await sleep(DEMO_HANG_MS, request.signal);
    return json({ error: 'too late' }, { status: 504 });
  }
  await sleep(100, request.signal);
  if (fault === 'error') return json({ error: 'Sauvegarde refusée (démo)' }, { status: 500 });
  return json({ ok: true, carteId: params.cardId });
}
