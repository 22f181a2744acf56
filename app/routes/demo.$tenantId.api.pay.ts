// POST /demo/<tenant>/api/pay?fail=<code>&delay=<ms>: the demo storefront's payment
// (traiterPaiement). The page tells it to fail, with the error code the machine will see.
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { randomUUID } from 'node:crypto';
import { requireDemoAccess, sleep } from '~/ingest/demo.server';
import { DEMO_PAYMENT_ERRORS } from '~/ingest/labels';

const MAX_DELAY_MS = 30_000;

export async function action({ request, params }: ActionFunctionArgs) {
  await requireDemoAccess(request, params.tenantId);
  const url = new URL(request.url);
  const delay = Math.min(MAX_DELAY_MS, Math.max(0, Number(url.searchParams.get('delay')) || 0));
  await sleep(delay, request.signal);
  const fail = url.searchParams.get('fail');
  if (fail && (DEMO_PAYMENT_ERRORS as readonly string[]).includes(fail)) {
    return json({ code: fail, message: `Paiement refusé (${fail})` }, { status: 402 });
  }
  return json({ référenceCommande: `CMD-${randomUUID().slice(0, 8).toUpperCase()}`, confirmation: 'paiement accepté' });
}
