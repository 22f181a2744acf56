// Orders written straight into the ledger and the local payment provider, as a saga (or a
// person at the provider's dashboard) would have left them: for the tests and the demo data,
// which need every kind of mismatch on purpose. Provider objects are made through the
// PaymentGateway so they are the stand-in's real objects; only what the gateway refuses to
// create (a transfer from balance, drawing on no charge) is written to provider_objects directly.
// Their events reach the provider mirror as the stand-in's webhooks would (mirror/from-stand-in.ts).
// Idempotent: keys and ids are derived from the order id, rows are inserted once.
import { randomUUID } from 'node:crypto';
import type { Db } from '../prisma/db';
import { répartirMontant } from './money';
import { mirrorStandInObjects } from './mirror/from-stand-in';
import { LocalPaymentGateway } from '../ports/local-gateway';
import type { MovementKind } from './reconcile';
import { chargeDescription, incidentKey, SAGA_KEYS, sagaFailureReason } from './saga-keys';
import type { SagaStatus } from './saga-status';
import { paymentWorkflowId } from '../temporal/workflows/wire-names';

export type LedgerState = 'succeeded' | 'pending' | 'failed' | 'none';

export interface StepFixture {
  kind: MovementKind;
  /** Default: the saga's key for that kind (`charge-<id>`, `transfert-<id>`…). */
  key?: string;
  /** Default: the saga's split of the total. */
  amountCents?: number;
  /** What the ledger says; 'none' writes no ledger row. Default succeeded. */
  ledger?: LedgerState;
  /** Whether the provider has it. Default: when the ledger says succeeded. 'orphan' = a transfer drawing on no charge. */
  provider?: boolean | 'orphan';
  /** The provider's amount when it differs from the ledger's. */
  providerAmountCents?: number;
  /** A provider id for the ledger row when the provider has no such object. */
  ledgerProviderId?: string;
}

export interface OrderFixture {
  tenantId: string;
  orderId: string;
  totalCents: number;
  status: SagaStatus;
  at: Date;
  steps: StepFixture[];
  buyerId?: string;
  sellerId?: string;
  /** Opens a finance incident for the order, as the saga does when it fails with money in doubt. */
  incident?: { severity: 'high' | 'normal'; failedStep: string; error: string; compensations?: unknown[] };
}

const DEFAULT_KEYS: Record<MovementKind, (c: string) => string> = SAGA_KEYS;

export async function writeOrder(db: Db, gateway: LocalPaymentGateway, o: OrderFixture) {
  if (!(gateway instanceof LocalPaymentGateway)) throw new Error('fixtures write to the local payment provider only');
  const split = répartirMontant(o.totalCents);
  const defaults: Record<MovementKind, number> = {
    charge: split.montantTotal,
    transfer: split.montantVendeur,
    insurance: split.montantAssurance,
    refund: split.montantTotal,
    transfer_reversal: split.montantVendeur,
    insurance_cancel: split.montantAssurance,
  };
  const workflowId = paymentWorkflowId(o.orderId);
  const buyerId = o.buyerId ?? `acheteur-${o.orderId}`;
  const sellerId = o.sellerId ?? `vendeur-${o.orderId}`;
  const ids: Partial<Record<MovementKind, string>> = {};
  const created: string[] = [];
  let offset = 0;

  for (const step of o.steps) {
    const key = step.key ?? DEFAULT_KEYS[step.kind](o.orderId);
    const amount = step.amountCents ?? defaults[step.kind];
    const ledger = step.ledger ?? 'succeeded';
    const atProvider = step.provider ?? ledger === 'succeeded';
    const reason = sagaFailureReason(o.orderId);
    // What Vigie asked for carries the tenant; what someone did at the provider's dashboard does not.
    const tenantId = ledger === 'none' ? undefined : o.tenantId;
    let providerId: string | null = null;
    if (atProvider === 'orphan') {
      providerId = `tr_local_${o.orderId.replace(/[^A-Za-z0-9]/g, '').toLowerCase()}orphan`;
      await db.$executeRaw`
        INSERT INTO provider_objects (id, kind, idempotency_key, request_fingerprint, status, amount_cents, counterparty, source_id, order_id, metadata)
        VALUES (${providerId}, 'transfer', ${key}, 'dashboard', 'succeeded', ${step.providerAmountCents ?? amount}, ${sellerId}, NULL, ${o.orderId},
                ${JSON.stringify({ commandeId: o.orderId, note: 'made in the dashboard, from the platform balance' })}::jsonb)
        ON CONFLICT (idempotency_key) DO NOTHING`;
    } else if (atProvider) {
      const providerAmount = step.providerAmountCents ?? amount;
      const r = await (() => {
        switch (step.kind) {
          case 'charge':
            return gateway.charge({ idempotencyKey: key, tenantId, commandeId: o.orderId, acheteurId: buyerId, amountCents: providerAmount, description: chargeDescription(o.orderId) });
          case 'transfer':
            return gateway.transfer({ idempotencyKey: key, tenantId, commandeId: o.orderId, vendeurId: sellerId, amountCents: providerAmount, sourceChargeId: ids.charge! });
          case 'insurance':
            return gateway.billInsurance({ idempotencyKey: key, tenantId, commandeId: o.orderId, amountCents: providerAmount });
          case 'refund':
            return gateway.refund({ idempotencyKey: key, tenantId, commandeId: o.orderId, chargeId: ids.charge!, amountCents: providerAmount, reason });
          case 'transfer_reversal':
            return gateway.reverseTransfer({ idempotencyKey: key, tenantId, commandeId: o.orderId, transferId: ids.transfer!, amountCents: providerAmount, reason });
          case 'insurance_cancel':
            return gateway.cancelInsurance({ idempotencyKey: key, tenantId, commandeId: o.orderId, insuranceId: ids.insurance!, reason });
        }
      })();
      providerId = r.id;
    }
    if (providerId) {
      created.push(providerId);
      ids[step.kind] ??= providerId;
    }
    // Steps a few seconds apart, in order, as a saga runs them.
    const at = new Date(o.at.getTime() + offset++ * 2_000);
    if (ledger !== 'none') {
      const related = step.kind === 'transfer' || step.kind === 'refund' ? ids.charge ?? null : step.kind === 'transfer_reversal' ? ids.transfer ?? null : step.kind === 'insurance_cancel' ? ids.insurance ?? null : null;
      await db.$executeRaw`
        INSERT INTO ledger_entries (tenant_id, order_id, workflow_id, kind, idempotency_key, provider_id, related_provider_id, amount_cents, status, error, attempts, created_at, updated_at)
        VALUES (${o.tenantId}, ${o.orderId}, ${workflowId}, ${step.kind}, ${key}, ${step.ledgerProviderId ?? (ledger === 'succeeded' ? providerId : null)}, ${related},
                ${amount}, ${ledger}, ${ledger === 'succeeded' ? null : 'no answer from the provider'}, ${ledger === 'pending' ? 4 : 1}, ${at}, ${new Date(at.getTime() + 500)})
        ON CONFLICT (idempotency_key) DO NOTHING`;
    }
    if (providerId) await db.$executeRaw`UPDATE provider_objects SET created_at = ${new Date(at.getTime() + 200)} WHERE id = ${providerId}`;
  }

  // The provider's webhooks for what it holds of this order, as they would have arrived.
  await mirrorStandInObjects(db, created);

  const endedAt = o.status === 'running' ? null : new Date(o.at.getTime() + offset * 2_000 + 1_000);
  await db.$executeRaw`
    INSERT INTO payment_sagas (order_id, tenant_id, workflow_id, buyer_id, seller_id, total_cents, seller_cents, commission_cents, insurance_cents, status,
                               charge_id, transfer_id, insurance_id, error, started_at, ended_at, updated_at)
    VALUES (${o.orderId}, ${o.tenantId}, ${workflowId}, ${buyerId}, ${sellerId}, ${split.montantTotal}, ${split.montantVendeur}, ${split.commission}, ${split.montantAssurance},
            ${o.status}, ${ids.charge ?? null}, ${ids.transfer ?? null}, ${ids.insurance ?? null},
            ${o.status === 'succeeded' || o.status === 'running' ? null : 'SagaPaiementÉchouée (fixture)'}, ${o.at}, ${endedAt}, ${endedAt ?? o.at})
    ON CONFLICT (order_id) DO NOTHING`;

  let incidentId: string | null = null;
  if (o.incident) {
    const row = await db.financeIncident.upsert({
      where: { idempotencyKey: incidentKey(o.orderId) },
      create: {
        id: randomUUID(),
        idempotencyKey: incidentKey(o.orderId),
        tenantId: o.tenantId,
        orderId: o.orderId,
        workflowId,
        severity: o.incident.severity,
        failedStep: o.incident.failedStep,
        sagaStatus: o.status,
        originalError: o.incident.error,
        compensationJournal: (o.incident.compensations ?? []) as object[],
        state: { chargeId: ids.charge ?? null, transfertId: ids.transfer ?? null, factureId: ids.insurance ?? null },
        createdAt: endedAt ?? o.at,
        updatedAt: endedAt ?? o.at,
      },
      update: {},
      select: { id: true },
    });
    incidentId = row.id;
  }
  return { orderId: o.orderId, ids, providerObjects: created, incidentId };
}
