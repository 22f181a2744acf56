// Retrying a saga compensation that failed, from the console. The saga's workflow has ended by
// then (a compensation is journaled as failed only after its own retry policy gave up), so
// nothing durable is left to resume it: the console server calls the PaymentGateway directly,
// exactly as the activity did — same idempotency key, same parameters — so the provider does
// it at most once however many times it is retried, and a compensation that did go through
// despite a lost answer is simply found again. Ledger row first (pending), provider second,
// settle third, like temporal/activities/payment.ts; each attempt is a row of
// compensation_retries, shown in the saga's journal. See docs/decisions/040-finance-console.md.
import type { Db } from '../prisma/db';
import { COMPENSATION_ACTIONS } from '../temporal/workflows/wire-names';
import { GatewayError, type PaymentGateway } from '../ports/payment-gateway';
import { positionValues, lockChargePosition } from './charge-position';
import { FinanceRefusal } from './errors';
import { englishWords, type OperatorWords } from './operator-words';
import { formatEuros } from './euros';
import { SAGA_KEYS, sagaFailureReason } from './saga-keys';
import type { Actor } from './refunds';

// The compensations are the workflow's own (its wire names): defined once, beside the workflow id rule.
export { COMPENSATION_ACTIONS };
export type CompensationAction = (typeof COMPENSATION_ACTIONS)[number];

interface SagaFacts {
  orderId: string;
  chargeId: string | null;
  transferId: string | null;
  insuranceId: string | null;
  totalCents: number;
  sellerCents: number;
  insuranceCents: number;
}

// The amounts below must stay exactly those of temporal/workflows/payment.ts (keys and reason come from
// saga-keys.ts): a provider (Stripe) refuses a known key sent with different parameters.
const SPECS: Record<CompensationAction, { ledgerKind: string; key: (orderId: string) => string; target: (s: SagaFacts) => string | null; amount: (s: SagaFacts) => number; what: string }> = {
  rembourserAcheteur: { ledgerKind: 'refund', key: SAGA_KEYS.refund, target: (s) => s.chargeId, amount: (s) => s.totalCents, what: 'refund of the buyer' },
  inverserTransfertVendeur: { ledgerKind: 'transfer_reversal', key: SAGA_KEYS.transfer_reversal, target: (s) => s.transferId, amount: (s) => s.sellerCents, what: 'reversal of the seller transfer' },
  annulerFactureAssurance: { ledgerKind: 'insurance_cancel', key: SAGA_KEYS.insurance_cancel, target: (s) => s.insuranceId, amount: (s) => s.insuranceCents, what: 'cancellation of the insurance fee' },
};

export const compensationKey = (action: CompensationAction, orderId: string) => SPECS[action].key(orderId);

export interface RetryInput {
  tenantId: string;
  orderId: string;
  action: CompensationAction;
  actor: Actor;
}

export interface RetryOutcome {
  retryId: string;
  status: 'succeeded';
  providerId: string;
  incidentId: string | null;
  message: string;
  /** The message's code and values, for a console that writes another language. */
  words: OperatorWords;
}

export async function retryCompensation(db: Db, gateway: PaymentGateway, input: RetryInput): Promise<RetryOutcome> {
  const { tenantId, orderId, action } = input;
  const spec = SPECS[action];
  const key = spec.key(orderId);

  const prepared = await db.$transaction(
    async (tx) => {
      const saga = await tx.paymentSaga.findFirst({ where: { tenantId, orderId } });
      if (!saga) throw new FinanceRefusal('noPayment', { orderId }, 404);
      if (saga.status === 'running') throw new FinanceRefusal('sagaRunningRetry', { orderId });
      const target = spec.target(saga);
      if (!target) throw new FinanceRefusal('nothingToUndo', { orderId, what: action });
      const amountCents = spec.amount(saga);
      // A refund takes the charge's lock like every other refund, and must still fit in what is left.
      if (action === 'rembourserAcheteur') {
        const position = await lockChargePosition(tx, tenantId, orderId, { excludeKey: key });
        if (amountCents > position.remainingCents) {
          throw new FinanceRefusal('retryTooLarge', { amount: formatEuros(amountCents), ...positionValues(position) });
        }
      }
      const rows = await tx.$queryRaw<Array<{ status: string; provider_id: string | null }>>`
        SELECT status, provider_id FROM ledger_entries WHERE idempotency_key = ${key} AND tenant_id = ${tenantId} FOR UPDATE`;
      const row = rows[0];
      if (!row) throw new FinanceRefusal('neverAttempted', { orderId, what: action });
      if (row.status === 'succeeded') throw new FinanceRefusal('alreadySucceeded', { orderId, what: action, id: row.provider_id ?? '' });
      await tx.$executeRaw`
        UPDATE ledger_entries SET status = 'pending', attempts = attempts + 1, updated_at = CURRENT_TIMESTAMP
         WHERE idempotency_key = ${key}`;
      const incident = await tx.financeIncident.findFirst({ where: { tenantId, orderId }, select: { id: true } });
      const retry = await tx.compensationRetry.create({
        data: {
          tenantId,
          orderId,
          incidentId: incident?.id ?? null,
          action,
          idempotencyKey: key,
          amountCents,
          status: 'pending',
          requestedBy: input.actor.id,
          requestedByEmail: input.actor.email,
        },
      });
      return { saga, target, amountCents, retry, incidentId: incident?.id ?? null };
    },
    { maxWait: 10_000, timeout: 20_000 },
  );

  const { target, amountCents, retry, incidentId } = prepared;
  const reason = sagaFailureReason(orderId);
  const settle = async (status: 'succeeded' | 'failed' | 'pending', providerId: string | null, error: string | null) => {
    const now = new Date();
    const body = status === 'succeeded' ? `${action} retried: succeeded (${providerId}).` : `${action} retried: ${status === 'failed' ? 'refused' : 'no answer'} — ${error}`;
    await db.$transaction([
      db.ledgerEntry.update({
        where: { idempotencyKey: key },
        data: { ...(status === 'pending' ? {} : { status }), ...(providerId ? { providerId } : {}), error, updatedAt: now },
      }),
      db.compensationRetry.update({ where: { id: retry.id }, data: { status, providerId, error, settledAt: status === 'pending' ? null : now } }),
      ...(incidentId ? [db.financeIncidentEvent.create({ data: { tenantId, incidentId, kind: 'retry', body, actorId: input.actor.id, actorEmail: input.actor.email } })] : []),
    ]);
  };

  try {
    const { id } = await call(gateway, action, { key, tenantId, orderId, target, amountCents, reason });
    await settle('succeeded', id, null);
    const words: OperatorWords = { code: 'retried', values: { what: action, id } };
    return { retryId: retry.id.toString(), status: 'succeeded', providerId: id, incidentId, message: englishWords(words), words };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const definite = error instanceof GatewayError && !error.retryable;
    await settle(definite ? 'failed' : 'pending', null, message);
    throw new FinanceRefusal(definite ? 'retryRefused' : 'retryNoAnswer', { what: action, error: message }, definite ? 409 : 503);
  }
}

function call(gateway: PaymentGateway, action: CompensationAction, p: { key: string; tenantId: string; orderId: string; target: string; amountCents: number; reason: string }) {
  switch (action) {
    case 'rembourserAcheteur':
      return gateway.refund({ idempotencyKey: p.key, tenantId: p.tenantId, commandeId: p.orderId, chargeId: p.target, amountCents: p.amountCents, reason: p.reason });
    case 'inverserTransfertVendeur':
      return gateway.reverseTransfer({ idempotencyKey: p.key, tenantId: p.tenantId, commandeId: p.orderId, transferId: p.target, amountCents: p.amountCents, reason: p.reason });
    case 'annulerFactureAssurance':
      return gateway.cancelInsurance({ idempotencyKey: p.key, tenantId: p.tenantId, commandeId: p.orderId, insuranceId: p.target, reason: p.reason });
  }
}
