// POST /demo/<tenant>/api/livraison: the demo storefront's delivery check (validerLivraison).
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { requireDemoAccess, sleep } from '~/ingest/demo.server';

export async function action({ request, params }: ActionFunctionArgs) {
  await requireDemoAccess(request, params.tenantId);
  const body = (await request.json().catch(() => null)) as { adresse?: { codePostal?: unknown; ville?: unknown } } | null;
  await sleep(150, request.signal);
  const cp = body?.adresse?.codePostal;
  if (typeof cp !== 'string' || !/^\d{5}$/.test(cp)) {
    return new Response('code_postal_invalide', { status: 422, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  return json({ fraisLivraison: 9.9, délaiEstimé: '3 jours' });
}
