// Activities of the onboarding workflow (seed case 2): the Stripe trial, the emails, the
// sales alert, and the trial's end (conversion or deactivation) in trial_accounts.
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../prisma/db';
import { EMAIL_REJETÉ } from '../workflows/failure-types';
import { renderEmail } from '../../ports/email-templates';
import { MailerError, type Mailer } from '../../ports/mailer';
import type { PaymentGateway } from '../../ports/payment-gateway';
import type { SalesAlerter } from '../../ports/sales-alerter';
import { gatewayFailure, withHeartbeat } from './support';

export interface OnboardingDeps {
  db: Db;
  payments: PaymentGateway;
  mailer: Mailer;
  sales: SalesAlerter;
}

export interface TrialInput {
  tenantId: string;
  workflowId: string;
  utilisateurId: string;
  email: string;
  planEssaiId: string;
  joursEssai: number;
}

export interface EmailInput {
  tenantId: string;
  workflowId: string;
  à: string;
  template: string;
  variables: Record<string, string | number>;
  /** `<workflowId>:<template>`: one delivery per key, whatever retries, crashes and replays happen. */
  idempotencyKey: string;
}

export interface EmailResult {
  messageId: string;
  /** True when an earlier attempt had already delivered it: nothing was sent this time. */
  déjàEnvoyé: boolean;
}

export interface SalesAlertInput {
  tenantId: string;
  workflowId: string;
  utilisateurId: string;
  email: string;
  raison: string;
  idempotencyKey: string;
}

export interface TrialEndInput {
  tenantId: string;
  workflowId: string;
  utilisateurId: string;
}

export interface ConversionInput extends TrialEndInput {
  email: string;
  planEssaiId: string;
  planId: string | null;
  montant: number | null;
}

export function createOnboardingActivities({ db, payments, mailer, sales }: OnboardingDeps) {
  return {
    async créerTrialStripe(input: TrialInput): Promise<string> {
      let trialId: string;
      try {
        ({ id: trialId } = await withHeartbeat(() =>
          payments.startTrial({
            idempotencyKey: `${input.workflowId}:trial`,
            utilisateurId: input.utilisateurId,
            email: input.email,
            planId: input.planEssaiId,
            trialDays: input.joursEssai,
          }),
        ));
      } catch (error) {
        throw gatewayFailure(error);
      }
      await db.trialAccount.upsert({
        where: { workflowId: input.workflowId },
        create: {
          workflowId: input.workflowId,
          tenantId: input.tenantId,
          userId: input.utilisateurId,
          email: input.email,
          trialPlanId: input.planEssaiId,
          providerTrialId: trialId,
          status: 'trialing',
        },
        update: { providerTrialId: trialId, updatedAt: new Date() },
      });
      return trialId;
    },

    /**
     * Insert-then-send: the delivery row is written ("sending") before the provider is
     * called and marked "sent" after. A retry that finds "sent" sends nothing. The one window
     * left is a crash after the provider accepted the email and before "sent" is written: the
     * retry sends again with the same idempotency key, and the provider (Resend keeps keys
     * 24 h; the local mailer forever) answers with the first message instead of delivering twice.
     */
    async envoyerEmail(input: EmailInput): Promise<EmailResult> {
      let rendered: ReturnType<typeof renderEmail>;
      try {
        rendered = renderEmail(input.template, input.variables);
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, EMAIL_REJETÉ);
      }
      const [row] = await db.$queryRaw<Array<{ status: string; provider_message_id: string | null }>>`
        INSERT INTO email_deliveries (idempotency_key, tenant_id, workflow_id, template, recipient, status)
        VALUES (${input.idempotencyKey}, ${input.tenantId}, ${input.workflowId}, ${input.template}, ${input.à}, 'sending')
        ON CONFLICT (idempotency_key) DO UPDATE
          SET attempts = email_deliveries.attempts + 1, updated_at = CURRENT_TIMESTAMP
        RETURNING status, provider_message_id`;
      if (row?.status === 'sent' && row.provider_message_id) return { messageId: row.provider_message_id, déjàEnvoyé: true };

      let messageId: string;
      try {
        ({ id: messageId } = await withHeartbeat(() =>
          mailer.send({ to: input.à, ...rendered, template: input.template, variables: input.variables, idempotencyKey: input.idempotencyKey }),
        ));
      } catch (error) {
        const rejected = error instanceof MailerError && error.kind === 'rejected';
        await db.emailDelivery.update({
          where: { idempotencyKey: input.idempotencyKey },
          data: { status: rejected ? 'failed' : 'sending', error: (error as Error).message, updatedAt: new Date() },
        });
        if (rejected) throw ApplicationFailure.nonRetryable((error as Error).message, EMAIL_REJETÉ);
        throw error;
      }
      await db.emailDelivery.update({
        where: { idempotencyKey: input.idempotencyKey },
        data: { status: 'sent', providerMessageId: messageId, sentAt: new Date(), error: null, updatedAt: new Date() },
      });
      return { messageId, déjàEnvoyé: false };
    },

    async envoyerAlerteSales(input: SalesAlertInput): Promise<string> {
      const { id } = await withHeartbeat(() => sales.alert(input));
      return id;
    },

    async désactiverAccès(input: TrialEndInput): Promise<void> {
      await db.trialAccount.updateMany({
        where: { workflowId: input.workflowId, status: 'trialing' },
        data: { status: 'expired', accessDisabledAt: new Date(), updatedAt: new Date() },
      });
    },

    /** An upsert: a user who subscribed before the trial was even created has no trial row yet. */
    async enregistrerConversion(input: ConversionInput): Promise<void> {
      const now = new Date();
      const converted = { status: 'converted', planId: input.planId, amountCents: input.montant, convertedAt: now, updatedAt: now };
      await db.trialAccount.upsert({
        where: { workflowId: input.workflowId },
        create: {
          workflowId: input.workflowId,
          tenantId: input.tenantId,
          userId: input.utilisateurId,
          email: input.email,
          trialPlanId: input.planEssaiId,
          ...converted,
        },
        update: converted,
      });
    },
  };
}

export type OnboardingActivities = ReturnType<typeof createOnboardingActivities>;
