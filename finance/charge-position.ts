// What is left to refund on an order's charge, computed from the ledger. Every movement that
// takes money back from a charge (a console refund, the saga's own refund compensation, a retry
// of it) first locks the charge's ledger row with lockChargePosition inside its transaction, and
// records its own refund as pending before it commits: two requests can never both see the
// same remaining amount, which is what made the seed's 340 € double refund possible.
import type { Db, Prisma } from '../prisma/db';
import { FinanceRefusal } from './errors';
import { formatEuros } from './euros';

export interface ChargePosition {
  orderId: string;
  /** The provider's id of the charge. */
  chargeId: string;
  workflowId: string;
  capturedCents: number;
  /** Refunds the provider confirmed. */
  refundedCents: number;
  /** Refunds asked and not yet answered: reserved as if done. */
  pendingCents: number;
  remainingCents: number;
}

type Executor = Db | Prisma.TransactionClient;

interface ChargeRow {
  provider_id: string | null;
  workflow_id: string;
  amount_cents: number;
  status: string;
}

/**
 * Locks the charge's ledger row (FOR UPDATE) until the caller's transaction ends and returns
 * the position. `excludeKey` leaves out one refund's own ledger row (a retried compensation
 * must not count itself).
 */
export function lockChargePosition(tx: Prisma.TransactionClient, tenantId: string, orderId: string, opts: { excludeKey?: string } = {}) {
  return position(tx, tenantId, orderId, true, opts.excludeKey ?? null);
}

/** The same figures without a lock, for display. */
export function readChargePosition(db: Executor, tenantId: string, orderId: string): Promise<ChargePosition | null> {
  return position(db, tenantId, orderId, false, null).catch((error: unknown) => {
    if (error instanceof FinanceRefusal) return null;
    throw error;
  });
}

async function position(db: Executor, tenantId: string, orderId: string, lock: boolean, excludeKey: string | null): Promise<ChargePosition> {
  const rows = lock
    ? await db.$queryRaw<ChargeRow[]>`
        SELECT provider_id, workflow_id, amount_cents, status FROM ledger_entries
         WHERE tenant_id = ${tenantId} AND order_id = ${orderId} AND kind = 'charge'
         ORDER BY id FOR UPDATE`
    : await db.$queryRaw<ChargeRow[]>`
        SELECT provider_id, workflow_id, amount_cents, status FROM ledger_entries
         WHERE tenant_id = ${tenantId} AND order_id = ${orderId} AND kind = 'charge'
         ORDER BY id`;
  const charge = rows.find((r) => r.status === 'succeeded' && r.provider_id);
  if (!charge) {
    const inDoubt = rows.some((r) => r.status === 'pending');
    throw new FinanceRefusal(inDoubt ? 'chargeInDoubt' : 'noCapturedCharge', { orderId });
  }
  const sums = await db.$queryRaw<Array<{ status: string; cents: bigint }>>`
    SELECT status, COALESCE(SUM(amount_cents), 0)::bigint AS cents FROM ledger_entries
     WHERE tenant_id = ${tenantId} AND order_id = ${orderId} AND kind = 'refund'
       AND related_provider_id = ${charge.provider_id} AND status IN ('pending', 'succeeded')
       AND idempotency_key IS DISTINCT FROM ${excludeKey}
     GROUP BY status`;
  const sum = (status: string) => Number(sums.find((s) => s.status === status)?.cents ?? 0n);
  const refundedCents = sum('succeeded');
  const pendingCents = sum('pending');
  return {
    orderId,
    chargeId: charge.provider_id!,
    workflowId: charge.workflow_id,
    capturedCents: charge.amount_cents,
    refundedCents,
    pendingCents,
    remainingCents: charge.amount_cents - refundedCents - pendingCents,
  };
}

/** A position's figures for a refusal's words (finance/operator-words.ts: refundTooLarge, retryTooLarge). */
export function positionValues(p: ChargePosition) {
  return {
    remaining: formatEuros(Math.max(p.remainingCents, 0)),
    chargeId: p.chargeId,
    captured: formatEuros(p.capturedCents),
    refunded: formatEuros(p.refundedCents),
    pending: formatEuros(p.pendingCents),
  };
}
