// POST /demo/<tenant>/api/pay?fail=<code>&delay=<ms>: the demo storefront's payment
// (traiterPaiement). The page tells it to fail, with the error code the machine will see.
// One charge per Idempotency-Key (machines/idempotence.ts): a request that repeats a key (a
// restored checkout, a retry after no answer) gets the first answer again and charges nothing.
import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { EN_TÊTE_IDEMPOTENCE, estCléIdempotence } from '../../machines';
import { payOnce, requestFingerprint } from '~/ingest/demo-idempotency.server';
import { requireDemoAccess, sleep } from '~/ingest/demo.server';
import { DEMO_PAYMENT_ERRORS } from '~/ingest/labels';

const MAX_DELAY_MS = 30_000;
const MAX_CART_CENTS = 2_147_483_647;

/** The cart's total in cents, or null when the body is not a cart the demo can charge. */
function cartCents(body: string): number | null {
  let items: unknown;
  try {
    items = (JSON.parse(body) as { items?: unknown } | null)?.items;
  } catch {
    return null;
  }
  if (!Array.isArray(items)) return null;
  let total = 0;
  for (const item of items as { prix?: unknown; quantité?: unknown }[]) {
    const { prix, quantité } = item ?? {};
    if (typeof prix !== 'number' || !Number.isFinite(prix) || prix < 0 || !Number.isInteger(quantité) || (quantité as number) < 1) return null;
    total += Math.round(prix * 100) * (quantité as number);
  }
  return total <= MAX_CART_CENTS ? total : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireDemoAccess(request, params.tenantId);
  const key = request.headers.get(EN_TÊTE_IDEMPOTENCE);
  if (!estCléIdempotence(key, 'paiement')) {
    return json({ code: 'idempotency_key_required', message: `En-tête ${EN_TÊTE_IDEMPOTENCE} manquant ou mal formé` }, { status: 400 });
  }
  const body = await request.text();
  const amountCents = cartCents(body);
  if (amountCents === null) return json({ code: 'invalid_request', message: 'Panier illisible' }, { status: 400 });
  const url = new URL(request.url);
  const delay = Math.min(MAX_DELAY_MS, Math.max(0, Number(url.searchParams.get('delay')) || 0));
  await sleep(delay, request.signal);
  // Charged even when the browser gave up waiting (timeout, restore): a charge does not stop because
  // its client left. That is what the key is for.
  const fail = url.searchParams.get('fail');
  const failWith = fail && (DEMO_PAYMENT_ERRORS as readonly string[]).includes(fail) ? fail : null;
  const answer = await payOnce(ctx.tenantId, key, { fingerprint: requestFingerprint(body), amountCents, failWith });
  if (!answer.ok) return json({ code: answer.code, message: answer.message }, { status: answer.status });
  return json({ référenceCommande: answer.référenceCommande, confirmation: 'paiement accepté' });
}
