// The console's money actions: a refund, a retry of a pending refund, a retry of a failed saga
// compensation. Each runs once per request key and leaves an audit row (runAuditedAction);
// the money rules themselves live in finance/ (refunds.ts, compensation-retry.ts).
import { z } from 'zod';
import { FinanceRefusal } from '../../finance/errors';
import type { OperatorWords } from '../../finance/operator-words';
import type { TFunction } from 'i18next';
import { rulesWords } from './labels';
import { COMPENSATION_ACTIONS, retryCompensation } from '../../finance/compensation-retry';
import { refundCharge, retryPendingRefund } from '../../finance/refunds';
import { ActionRefused, idempotencyKeySchema, refuseMissingTarget, runAuditedAction, type ActionOutcome } from '../server/audited-action.server';
import type { TenantContext } from '../server/auth.server';
import { db } from '../server/db.server';
import { positiveEuros, reasonRequired } from '../server/fields';
import { paymentGateway } from './gateway.server';
import { forgetReconciliations } from './reconciliation.server';
import { serverT } from '../i18n/server-t.server';

export const refundForm = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('refund'),
    idempotencyKey: idempotencyKeySchema,
    reason: reasonRequired,
    amount: positiveEuros,
  }),
  z.object({ op: z.literal('retry-refund'), idempotencyKey: idempotencyKeySchema, refundId: z.string().uuid('refundId must be a refund id') }),
  z.object({ op: z.literal('retry-compensation'), idempotencyKey: idempotencyKeySchema, compensation: z.enum(COMPENSATION_ACTIONS) }),
]);
export type RefundForm = z.infer<typeof refundForm>;

type FinanceT = TFunction<'finance'>;

/** A money action's outcome, its message in the operator's language; a refusal from the finance rules becomes the operator's 4xx/503 message. */
async function refusing<T extends { message: string; words: OperatorWords }>(t: FinanceT, fn: () => Promise<T>): Promise<T> {
  try {
    const outcome = await fn();
    return { ...outcome, message: rulesWords(t, outcome.words) };
  } catch (error) {
    if (error instanceof FinanceRefusal) throw new ActionRefused(rulesWords(t, error.words), error.status);
    throw error;
  }
}

/** One money action on an order of the session's tenant; another tenant's (or no) order is a 404 before anything is recorded. */
export async function runMoneyAction(ctx: TenantContext, orderId: string, form: RefundForm) {
  const saga = await db().paymentSaga.findFirst({ where: { tenantId: ctx.tenantId, orderId }, select: { orderId: true } });
  if (!saga) await refuseMissingTarget(ctx, { action: `payment:${form.op}`, targetType: 'payment', targetId: orderId, reason: 'reason' in form ? form.reason : null, idempotencyKey: form.idempotencyKey });
  try {
    return await moneyAction(ctx, orderId, form);
  } finally {
    // Money may have moved: a cached reconciliation of this tenant would show the old picture.
    forgetReconciliations(ctx.tenantId);
  }
}

function moneyAction(ctx: TenantContext, orderId: string, form: RefundForm): Promise<ActionOutcome<{ message: string }>> {
  const actor = { id: ctx.userId, email: ctx.email };
  const gateway = paymentGateway();
  const t = serverT(ctx.language, 'finance');
  switch (form.op) {
    case 'refund':
      return runAuditedAction(
        ctx,
        { action: 'payment:refund', targetType: 'payment', targetId: orderId, reason: form.reason, idempotencyKey: form.idempotencyKey, detail: { amountCents: form.amount } },
        () => refusing(t, () => refundCharge(db(), gateway, { tenantId: ctx.tenantId, orderId, amountCents: form.amount, reason: form.reason, requestKey: form.idempotencyKey, actor })),
      );
    case 'retry-refund':
      return runAuditedAction(
        ctx,
        { action: 'payment:refund-retry', targetType: 'payment', targetId: orderId, idempotencyKey: form.idempotencyKey, detail: { refundId: form.refundId } },
        () => refusing(t, async () => {
          const refund = await db().paymentRefund.findFirst({ where: { id: form.refundId, tenantId: ctx.tenantId, orderId }, select: { id: true } });
          if (!refund) throw new ActionRefused(t('server.noSuchRefund'), 404);
          return retryPendingRefund(db(), gateway, ctx.tenantId, refund.id);
        }),
      );
    case 'retry-compensation':
      return runAuditedAction(
        ctx,
        { action: `payment:retry-compensation:${form.compensation}`, targetType: 'payment', targetId: orderId, idempotencyKey: form.idempotencyKey },
        () => refusing(t, () => retryCompensation(db(), gateway, { tenantId: ctx.tenantId, orderId, action: form.compensation, actor })),
      );
  }
}
