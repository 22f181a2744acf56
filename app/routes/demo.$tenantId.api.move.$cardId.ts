// The demo board's card endpoint, for one board (?board=<the board page's session>):
// - PATCH ?fault=error|hang|lost_answer: the save (sauvegarderDéplacement), applied once per
//   Idempotency-Key (machines/idempotence.ts). "hang" answers only after the machine has given up
//   and applies nothing; "lost_answer" applies the move, then hangs the same way.
// - GET: where the server has the card (lirePositionCarte, read after a save timed out),
//   { position: { colonneId, index } | null }; null when no move of it was applied on that board.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { EN_TÊTE_IDEMPOTENCE, estCléIdempotence } from '../../machines';
import { cardPosition, DEMO_ID, moveOnce } from '~/ingest/demo-idempotency.server';
import { DEMO_HANG_MS, requireDemoAccess, sleep } from '~/ingest/demo.server';

/** The board and card the request is about, or a 400. */
function target(request: Request, cardId: string | undefined): { boardId: string; cardId: string } | Response {
  const boardId = new URL(request.url).searchParams.get('board');
  if (!boardId || !DEMO_ID.test(boardId)) return json({ error: 'board: expected the board page’s session id' }, { status: 400 });
  if (!cardId || !DEMO_ID.test(cardId)) return json({ error: 'cardId: letters, digits and _ . : @ - only' }, { status: 400 });
  return { boardId, cardId };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireDemoAccess(request, params.tenantId);
  const t = target(request, params.cardId);
  if (t instanceof Response) return t;
  return json({ position: await cardPosition(ctx.tenantId, t.boardId, t.cardId) }, { headers: { 'Cache-Control': 'no-store' } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireDemoAccess(request, params.tenantId);
  const t = target(request, params.cardId);
  if (t instanceof Response) return t;
  const key = request.headers.get(EN_TÊTE_IDEMPOTENCE);
  if (!estCléIdempotence(key, 'deplacement')) {
    return json({ error: `${EN_TÊTE_IDEMPOTENCE} header missing or malformed` }, { status: 400 });
  }
  const body = (await request.json().catch(() => null)) as { colonneId?: unknown; index?: unknown } | null;
  const { colonneId, index } = body ?? {};
  if (typeof colonneId !== 'string' || !DEMO_ID.test(colonneId) || !Number.isInteger(index) || (index as number) < 0 || (index as number) > 10_000) {
    return json({ error: 'expected { colonneId, index }' }, { status: 400 });
  }
  const fault = new URL(request.url).searchParams.get('fault');
  if (fault === 'hang') {
    await sleep(DEMO_HANG_MS, request.signal);
    return json({ error: 'too late' }, { status: 504 });
  }
  await sleep(100, request.signal);
  if (fault === 'error') return json({ error: 'Sauvegarde refusée (démo)' }, { status: 500 });
  const applied = await moveOnce(ctx.tenantId, key, { ...t, columnId: colonneId, index: index as number });
  if (!applied.ok) return json({ error: applied.message }, { status: applied.status });
  if (fault === 'lost_answer') {
    // Applied, but the answer never reaches the board in time: its re-read must find the move.
    await sleep(DEMO_HANG_MS, request.signal);
    return json({ error: 'too late' }, { status: 504 });
  }
  return json({ ok: true, carteId: t.cardId });
}
