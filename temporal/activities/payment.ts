// Activities of the payment saga (seed case 4). Each money movement is written to
// ledger_entries before the provider is called ("pending") and settled after; the saga's row
// in payment_sagas and the finance incident complete the audit trail outside Temporal's
// history, which the namespace only keeps for its retention period. The workflow speaks French
// (commandeId, statut); the rows are English (order_id, status): statuses are translated here,
// through finance/saga-status.ts.
import type { Db } from '../../prisma/db';
import type { Prisma } from '../../prisma/db';
import type { Répartition } from '../../finance/money';
import type { StatutSaga } from '../workflows/payment.contract';
import { incidentKey } from '../../finance/saga-keys';
import { type SagaStatus, storedSagaStatus } from '../../finance/saga-status';
import { GatewayError, type GatewayResult, type PaymentGateway } from '../../ports/payment-gateway';
import { currentAttempt, gatewayFailure, withHeartbeat } from './support';

export interface PaymentDeps {
  db: Db;
  payments: PaymentGateway;
}

type LedgerKind = 'charge' | 'transfer' | 'insurance' | 'refund' | 'transfer_reversal' | 'insurance_cancel';

/** What every saga activity is told about the order it works for. */
export interface SagaRef {
  tenantId: string;
  workflowId: string;
  commandeId: string;
}

export interface DébitInput extends SagaRef {
  acheteurId: string;
  montant: number;
  idempotencyKey: string;
  description: string;
}

export interface VirementInput extends SagaRef {
  vendeurId: string;
  montant: number;
  chargeId: string;
  idempotencyKey: string;
}

export interface AssuranceInput extends SagaRef {
  montant: number;
  idempotencyKey: string;
}

export interface AnnulationAssuranceInput extends SagaRef {
  factureId: string;
  montant: number;
  idempotencyKey: string;
  raison: string;
}

export interface InversionVirementInput extends SagaRef {
  transfertId: string;
  montant: number;
  idempotencyKey: string;
  raison: string;
}

export interface RemboursementInput extends SagaRef {
  chargeId: string;
  montant: number;
  idempotencyKey: string;
  raison: string;
}

export interface OuvertureSagaInput extends SagaRef {
  acheteurId: string;
  vendeurId: string;
  répartition: Répartition;
}

export interface ClôtureSagaInput extends SagaRef {
  statut: StatutSaga;
  journal: unknown;
  chargeId: string | null;
  transfertId: string | null;
  factureId: string | null;
  erreur: string | null;
}

export interface IncidentInput extends SagaRef {
  erreurOriginale: string;
  étapeÉchouée: string | null;
  statutSaga: StatutSaga;
  gravité: 'high' | 'normal';
  journalCompensation: unknown;
  état: unknown;
}

export function createPaymentActivities({ db, payments }: PaymentDeps) {
  /** Ledger row first, provider second, settle third: a crash leaves "pending", never a silent movement. */
  async function movement(
    entry: SagaRef & { kind: LedgerKind; idempotencyKey: string; amountCents: number; relatedProviderId: string | null },
    call: () => Promise<GatewayResult>,
  ): Promise<string> {
    const attempt = currentAttempt();
    await db.$executeRaw`
      INSERT INTO ledger_entries (tenant_id, order_id, workflow_id, kind, idempotency_key, related_provider_id, amount_cents, status, attempts)
      VALUES (${entry.tenantId}, ${entry.commandeId}, ${entry.workflowId}, ${entry.kind}, ${entry.idempotencyKey}, ${entry.relatedProviderId},
              ${entry.amountCents}, 'pending', ${attempt})
      ON CONFLICT (idempotency_key) DO UPDATE
        SET attempts = GREATEST(ledger_entries.attempts + 1, EXCLUDED.attempts),
            status = CASE WHEN ledger_entries.status = 'succeeded' THEN 'succeeded' ELSE 'pending' END,
            updated_at = CURRENT_TIMESTAMP`;
    try {
      const { id } = await withHeartbeat(call);
      await db.ledgerEntry.update({
        where: { idempotencyKey: entry.idempotencyKey },
        data: { status: 'succeeded', providerId: id, error: null, updatedAt: new Date() },
      });
      return id;
    } catch (error) {
      const definite = error instanceof GatewayError && !error.retryable;
      await db.ledgerEntry.update({
        where: { idempotencyKey: entry.idempotencyKey },
        data: { ...(definite ? { status: 'failed' } : {}), error: error instanceof Error ? error.message : String(error), updatedAt: new Date() },
      });
      throw gatewayFailure(error);
    }
  }

  return {
    async débiterAcheteur(p: DébitInput): Promise<string> {
      return movement({ ...p, kind: 'charge', amountCents: p.montant, relatedProviderId: null }, () =>
        payments.charge({ idempotencyKey: p.idempotencyKey, tenantId: p.tenantId, commandeId: p.commandeId, acheteurId: p.acheteurId, amountCents: p.montant, description: p.description }),
      );
    },

    async virerVendeur(p: VirementInput): Promise<string> {
      return movement({ ...p, kind: 'transfer', amountCents: p.montant, relatedProviderId: p.chargeId }, () =>
        payments.transfer({ idempotencyKey: p.idempotencyKey, tenantId: p.tenantId, commandeId: p.commandeId, vendeurId: p.vendeurId, amountCents: p.montant, sourceChargeId: p.chargeId }),
      );
    },

    async facturerAssurance(p: AssuranceInput): Promise<string> {
      return movement({ ...p, kind: 'insurance', amountCents: p.montant, relatedProviderId: null }, () =>
        payments.billInsurance({ idempotencyKey: p.idempotencyKey, tenantId: p.tenantId, commandeId: p.commandeId, amountCents: p.montant }),
      );
    },

    async annulerFactureAssurance(p: AnnulationAssuranceInput): Promise<string> {
      return movement({ ...p, kind: 'insurance_cancel', amountCents: p.montant, relatedProviderId: p.factureId }, () =>
        payments.cancelInsurance({ idempotencyKey: p.idempotencyKey, tenantId: p.tenantId, commandeId: p.commandeId, insuranceId: p.factureId, reason: p.raison }),
      );
    },

    async inverserTransfertVendeur(p: InversionVirementInput): Promise<string> {
      return movement({ ...p, kind: 'transfer_reversal', amountCents: p.montant, relatedProviderId: p.transfertId }, () =>
        payments.reverseTransfer({ idempotencyKey: p.idempotencyKey, tenantId: p.tenantId, commandeId: p.commandeId, transferId: p.transfertId, amountCents: p.montant, reason: p.raison }),
      );
    },

    async rembourserAcheteur(p: RemboursementInput): Promise<string> {
      return movement({ ...p, kind: 'refund', amountCents: p.montant, relatedProviderId: p.chargeId }, () =>
        payments.refund({ idempotencyKey: p.idempotencyKey, tenantId: p.tenantId, commandeId: p.commandeId, chargeId: p.chargeId, amountCents: p.montant, reason: p.raison }),
      );
    },

    /** One incident per order (key `incident-<commandeId>`): a retried activity finds the first one. */
    async créerIncidentFinance(p: IncidentInput): Promise<string> {
      const idempotencyKey = incidentKey(p.commandeId);
      const incident = await db.financeIncident.upsert({
        where: { idempotencyKey },
        create: {
          idempotencyKey,
          tenantId: p.tenantId,
          orderId: p.commandeId,
          workflowId: p.workflowId,
          severity: p.gravité,
          failedStep: p.étapeÉchouée,
          sagaStatus: storedSagaStatus(p.statutSaga),
          originalError: p.erreurOriginale,
          compensationJournal: p.journalCompensation as Prisma.InputJsonValue,
          state: p.état as Prisma.InputJsonValue,
        },
        update: {},
        select: { id: true },
      });
      return incident.id;
    },

    async enregistrerSaga(p: OuvertureSagaInput): Promise<void> {
      const r = p.répartition;
      await db.paymentSaga.upsert({
        where: { orderId: p.commandeId },
        create: {
          orderId: p.commandeId,
          tenantId: p.tenantId,
          workflowId: p.workflowId,
          buyerId: p.acheteurId,
          sellerId: p.vendeurId,
          totalCents: r.montantTotal,
          sellerCents: r.montantVendeur,
          commissionCents: r.commission,
          insuranceCents: r.montantAssurance,
          status: 'running' satisfies SagaStatus,
        },
        update: {},
      });
    },

    /** updateMany: a saga cancelled before its row was written has nothing to close. */
    async clôturerSaga(p: ClôtureSagaInput): Promise<void> {
      const now = new Date();
      await db.paymentSaga.updateMany({
        where: { orderId: p.commandeId },
        data: {
          status: storedSagaStatus(p.statut),
          journal: p.journal as Prisma.InputJsonValue,
          chargeId: p.chargeId,
          transferId: p.transfertId,
          insuranceId: p.factureId,
          error: p.erreur,
          endedAt: now,
          updatedAt: now,
        },
      });
    },
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
