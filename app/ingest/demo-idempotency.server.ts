// The demo endpoints' side of the machines' idempotency keys (machines/idempotence.ts): one
// charge per payment key and one applied move per card-move key, the first answer given again to
// a repeated key. Same pattern as the local payment provider (ports/local-gateway.ts): insert,
// let a concurrent twin lose on the unique key, read the row back, refuse the key when it comes
// with another request. Demo rows only: nothing here is money, and nothing reaches finance's
// provider_objects (reconciliation lists every charge there).
import { createHash, randomUUID } from 'node:crypto';
import { db } from '../server/db.server';

/** Ids the demo endpoints accept for a board (the board page's session) and a card. */
export const DEMO_ID = /^[A-Za-z0-9_.:@-]{1,100}$/;

export const requestFingerprint = (body: string) => createHash('sha256').update(body).digest('hex');

export type DemoPaymentAnswer =
  | { ok: true; référenceCommande: string }
  | { ok: false; status: 402 | 409; code: string; message: string };

const conflict = (key: string) => ({
  ok: false as const,
  status: 409 as const,
  code: 'idempotency_key_in_use',
  message: `La clé ${key} a déjà servi pour une autre requête`,
});

/**
 * The payment of `key`: made now (a charge, or the refusal `failWith`) unless the key was already
 * used, in which case the first outcome is answered again and nothing is charged.
 */
export async function payOnce(
  tenantId: string,
  key: string,
  payment: { fingerprint: string; amountCents: number; failWith: string | null },
): Promise<DemoPaymentAnswer> {
  await db().demoPayment.createMany({
    data: [
      {
        tenantId,
        idempotencyKey: key,
        requestFingerprint: payment.fingerprint,
        status: payment.failWith ? 'failed' : 'succeeded',
        orderRef: payment.failWith ? null : `CMD-${randomUUID().slice(0, 8).toUpperCase()}`,
        errorCode: payment.failWith,
        amountCents: payment.amountCents,
      },
    ],
    skipDuplicates: true,
  });
  const row = await db().demoPayment.findUniqueOrThrow({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey: key } } });
  if (row.requestFingerprint !== payment.fingerprint) return conflict(key);
  if (row.status === 'succeeded' && row.orderRef) return { ok: true, référenceCommande: row.orderRef };
  const code = row.errorCode ?? 'processing_error';
  return { ok: false, status: 402, code, message: `Paiement refusé (${code})` };
}

export interface DemoMove {
  boardId: string;
  cardId: string;
  columnId: string;
  index: number;
}

/** Applies the move of `key` unless it was applied already; the same key with another move is refused. */
export async function moveOnce(tenantId: string, key: string, move: DemoMove): Promise<{ ok: true } | ReturnType<typeof conflict>> {
  await db().demoCardMove.createMany({
    data: [{ tenantId, idempotencyKey: key, boardId: move.boardId, cardId: move.cardId, columnId: move.columnId, cardIndex: move.index }],
    skipDuplicates: true,
  });
  const row = await db().demoCardMove.findUniqueOrThrow({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey: key } } });
  const same = row.boardId === move.boardId && row.cardId === move.cardId && row.columnId === move.columnId && row.cardIndex === move.index;
  return same ? { ok: true } : conflict(key);
}

/** Where the server has the card on that board: its latest applied move, or null when none was. */
export async function cardPosition(tenantId: string, boardId: string, cardId: string): Promise<{ colonneId: string; index: number } | null> {
  const last = await db().demoCardMove.findFirst({
    where: { tenantId, boardId, cardId },
    orderBy: { id: 'desc' },
    select: { columnId: true, cardIndex: true },
  });
  return last ? { colonneId: last.columnId, index: last.cardIndex } : null;
}
