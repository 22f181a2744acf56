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
import { describePosition, lockChargePosition } from './charge-position';
import { FinanceRefusal } from './errors';
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
}

type RefundRow = NonNullable<Awaited<ReturnType<Db['paymentRefund']['findUnique']>>>;

/** The provider key of a console refund; also its ledger key. Never reused for another request. */
export const consoleRefundKey = (orderId: string, requestKey: string) => `remboursement-console-${orderId}-${requestKey}`;

export async function refundCharge(db: Db, gateway: PaymentGateway, input: RefundRequestInput): Promise<RefundOutcome> {
  const { tenantId, orderId, amountCents } = input;
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new FinanceRefusal(`The amount must be a positive number of cents, got ${amountCents}.`, 400);
  const reason = input.reason.trim();
  if (reason.length < 3) throw new FinanceRefusal('A reason of at least 3 characters is required.', 400);
  const key = consoleRefundKey(orderId, input.requestKey);

  const reserved = await db.$transaction(
    async (tx) => {
      const saga = await tx.paymentSaga.findFirst({ where: { orderId, tenantId }, select: { status: true, workflowId: true } });
      if (!saga) throw new FinanceRefusal(`No payment of order ${orderId} in this tenant.`, 404);
      const position = await lockChargePosition(tx, tenantId, orderId);
      // Under the lock, so a concurrent twin of this request finds the row the first one wrote.
      const existing = await tx.paymentRefund.findUnique({ where: { idempotencyKey: key } });
      if (existing) return { refund: existing, fresh: false };
      if (saga.status === 'running') throw new FinanceRefusal(`The payment saga of order ${orderId} is still running: its own compensation may refund the buyer. Wait until it ends.`, 409);
      if (amountCents > position.remainingCents) {
        throw new FinanceRefusal(
          `Refund of ${formatEuros(amountCents)} refused: only ${formatEuros(Math.max(position.remainingCents, 0))} remain refundable on charge ${position.chargeId} (${describePosition(position)}).`,
          409,
        );
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
    if (refund.status === 'failed') throw new FinanceRefusal(`This refund request was already refused by the provider: ${refund.error ?? 'refused'}.`, 409);
    // Still pending: ask the provider again with the same key; it answers with the first refund if it made one.
    return send(db, gateway, refund, true);
  }
  return send(db, gateway, refund, false);
}

/** Sends a pending refund again, with its own key: the provider makes it at most once. */
export async function retryPendingRefund(db: Db, gateway: PaymentGateway, tenantId: string, refundId: string): Promise<RefundOutcome> {
  const refund = await db.paymentRefund.findFirst({ where: { id: refundId, tenantId } });
  if (!refund) throw new FinanceRefusal('No such refund in this tenant.', 404);
  if (refund.status === 'succeeded') return outcome(refund, refund.providerRefundId!, true);
  if (refund.status === 'failed') throw new FinanceRefusal(`The provider refused this refund: ${refund.error ?? 'refused'}. Ask a new refund if it is still owed.`, 409);
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
    if (definite) throw new FinanceRefusal(`The provider refused the refund: ${message}`, 409);
    throw new FinanceRefusal(
      `No definite answer from the provider (${message}). The refund of ${formatEuros(refund.amountCents)} stays pending and reserved; retry it from the order's page — the same key is sent, so it is made at most once.`,
      503,
    );
  }
}

function outcome(refund: RefundRow, providerRefundId: string, replayed: boolean): RefundOutcome {
  return {
    refundId: refund.id,
    providerRefundId,
    amountCents: refund.amountCents,
    replayed,
    message: replayed
      ? `This refund was already made: ${formatEuros(refund.amountCents)} (${providerRefundId}). Nothing new was sent.`
      : `Refunded ${formatEuros(refund.amountCents)} (${providerRefundId}).`,
  };
}
