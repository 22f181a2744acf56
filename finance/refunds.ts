// Refunds asked by finance from the console (full or partial, with a reason). Safe by
// construction rather than by care:
// - serialized per charge: the charge's ledger row is locked (charge-position.ts) while the
//   remaining amount is computed from the ledger, pending refunds included;
// - recorded before the provider is called: the refund's ledger row is inserted as pending in
//   that same transaction, so a concurrent request sees the amount as already taken;
// - idempotent end to end: the provider key derives from the console request's key, so the
//   same request twice (double click, retry after a lost answer) makes one refund at the provider.
import type { Db } from '../prisma/db';
import { GatewayError, type PaymentGateway } from '../ports/payment-gateway';
import { positionValues, lockChargePosition } from './charge-position';
import { FinanceRefusal } from './errors';
import { englishWords, type OperatorWords } from './operator-words';
import { formatEuros } from './euros';

export interface Actor {
  id: string;
  email: string;
}

export interface RefundRequestInput {
  tenantId: string;
  orderId: string;
  amountCents: number;
  reason: string;
  /** The console request's idempotency key. */
  requestKey: string;
  actor: Actor;
}

export interface RefundOutcome {
  refundId: string;
  providerRefundId: string;
  amountCents: number;
  /** This request had already been made: nothing new was asked of the provider. */
  replayed: boolean;
  message: string;
  /** The message's code and values, for a console that writes another language. */
  words: OperatorWords;
}

type RefundRow = NonNullable<Awaited<ReturnType<Db['paymentRefund']['findUnique']>>>;

/** The provider key of a console refund; also its ledger key. Never reused for another request. */
export const consoleRefundKey = (orderId: string, requestKey: string) => `remboursement-console-${orderId}-${requestKey}`;

export async function refundCharge(db: Db, gateway: PaymentGateway, input: RefundRequestInput): Promise<RefundOutcome> {
  const { tenantId, orderId, amountCents } = input;
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new FinanceRefusal('amountNotPositive', { amount: amountCents }, 400);
  const reason = input.reason.trim();
  if (reason.length < 3) throw new FinanceRefusal('reasonTooShort', {}, 400);
  const key = consoleRefundKey(orderId, input.requestKey);

  const reserved = await db.$transaction(
    async (tx) => {
      const saga = await tx.paymentSaga.findFirst({ where: { orderId, tenantId }, select: { status: true, workflowId: true } });
      if (!saga) throw new FinanceRefusal('noPayment', { orderId }, 404);
      const position = await lockChargePosition(tx, tenantId, orderId);
      // Under the lock, so a concurrent twin of this request finds the row the first one wrote.
      const existing = await tx.paymentRefund.findUnique({ where: { idempotencyKey: key } });
      if (existing) return { refund: existing, fresh: false };
      if (saga.status === 'running') throw new FinanceRefusal('sagaRunningRefund', { orderId });
      if (amountCents > position.remainingCents) {
        throw new FinanceRefusal('refundTooLarge', { amount: formatEuros(amountCents), ...positionValues(position) });
      }
      await tx.$executeRaw`
        INSERT INTO ledger_entries (tenant_id, order_id, workflow_id, kind, idempotency_key, related_provider_id, amount_cents, status, attempts)
        VALUES (${tenantId}, ${orderId}, ${position.workflowId}, 'refund', ${key}, ${position.chargeId}, ${amountCents}, 'pending', 1)`;
      const refund = await tx.paymentRefund.create({
        data: {
          tenantId,
          orderId,
          chargeId: position.chargeId,
          amountCents,
          reason,
          idempotencyKey: key,
          requestKey: input.requestKey,
          status: 'pending',
          requestedBy: input.actor.id,
          requestedByEmail: input.actor.email,
        },
      });
      return { refund, fresh: true };
    },
    // Refunds of one charge queue on its lock; give a burst of them room to wait.
    { maxWait: 10_000, timeout: 20_000 },
  );

  const { refund, fresh } = reserved;
  if (!fresh) {
    if (refund.status === 'succeeded') return outcome(refund, refund.providerRefundId!, true);
    if (refund.status === 'failed') throw new FinanceRefusal('alreadyRefused', { error: refund.error ?? 'refused' });
    // Still pending: ask the provider again with the same key; it answers with the first refund if it made one.
    return send(db, gateway, refund, true);
  }
  return send(db, gateway, refund, false);
}

/** Sends a pending refund again, with its own key: the provider makes it at most once. */
export async function retryPendingRefund(db: Db, gateway: PaymentGateway, tenantId: string, refundId: string): Promise<RefundOutcome> {
  const refund = await db.paymentRefund.findFirst({ where: { id: refundId, tenantId } });
  if (!refund) throw new FinanceRefusal('noSuchRefund', {}, 404);
  if (refund.status === 'succeeded') return outcome(refund, refund.providerRefundId!, true);
  if (refund.status === 'failed') throw new FinanceRefusal('providerRefusedThis', { error: refund.error ?? 'refused' });
  await db.paymentRefund.update({ where: { id: refund.id }, data: { attempts: { increment: 1 }, updatedAt: new Date() } });
  await db.ledgerEntry.update({ where: { idempotencyKey: refund.idempotencyKey }, data: { attempts: { increment: 1 }, updatedAt: new Date() } });
  return send(db, gateway, refund, false);
}

async function send(db: Db, gateway: PaymentGateway, refund: RefundRow, replayed: boolean): Promise<RefundOutcome> {
  try {
    const { id } = await gateway.refund({
      idempotencyKey: refund.idempotencyKey,
      tenantId: refund.tenantId,
      commandeId: refund.orderId,
      chargeId: refund.chargeId,
      amountCents: refund.amountCents,
      reason: refund.reason,
    });
    const now = new Date();
    await db.$transaction([
      db.ledgerEntry.update({ where: { idempotencyKey: refund.idempotencyKey }, data: { status: 'succeeded', providerId: id, error: null, updatedAt: now } }),
      db.paymentRefund.update({ where: { id: refund.id }, data: { status: 'succeeded', providerRefundId: id, error: null, updatedAt: now, settledAt: now } }),
    ]);
    return outcome(refund, id, replayed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A definite refusal frees the reserved amount; no answer keeps it reserved until a retry settles it.
    const definite = error instanceof GatewayError && !error.retryable;
    const now = new Date();
    await db.$transaction([
      db.ledgerEntry.update({ where: { idempotencyKey: refund.idempotencyKey }, data: { ...(definite ? { status: 'failed' } : {}), error: message, updatedAt: now } }),
      db.paymentRefund.update({ where: { id: refund.id }, data: { ...(definite ? { status: 'failed', settledAt: now } : {}), error: message, updatedAt: now } }),
    ]);
    if (definite) throw new FinanceRefusal('providerRefused', { error: message });
    throw new FinanceRefusal('refundNoAnswer', { error: message, amount: formatEuros(refund.amountCents) }, 503);
  }
}

function outcome(refund: RefundRow, providerRefundId: string, replayed: boolean): RefundOutcome {
  const words: OperatorWords = { code: replayed ? 'refundReplayed' : 'refunded', values: { amount: formatEuros(refund.amountCents), id: providerRefundId } };
  return { refundId: refund.id, providerRefundId, amountCents: refund.amountCents, replayed, message: englishWords(words), words };
}
