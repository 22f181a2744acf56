// Finance demo data for CraftMarket (seed case 4): a month of orders for the payments charts,
// one order for every kind of reconciliation mismatch in the last week, two finance incidents,
// and — through the real worker — a saga whose transfer and refund compensation both fail,
// leaving an open high-severity incident whose compensation finance can retry.
// Idempotent: ids and keys are fixed, rows are inserted once, and every date derives from the
// first demo order's, so a second run changes nothing.
import type { Client } from '@temporalio/client';
import type { Db } from '../../prisma/db';
import { writeOrder, type OrderFixture, type StepFixture } from '../../finance/fixtures';
import { injectFault } from '../../ports/faults';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import type { PaymentGateway } from '../../ports/payment-gateway';
import { startPaymentSaga } from '../../temporal/starters';

export const DEMO_FINANCE_TENANT = 'craftmarket';
/** The live saga that fails with a failed compensation (see seedDemoFinanceWorkflows). */
export const DEMO_FAILED_SAGA = 'CM-2099';

const DAY = 86_400_000;
const AMOUNTS = [18_000, 24_550, 9_990, 4_500, 32_000, 12_990, 7_800, 56_000];
const happy: StepFixture[] = [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance' }];

export async function seedDemoFinance(db: Db, gateway: PaymentGateway, tenantId = DEMO_FINANCE_TENANT) {
  if (!(gateway instanceof LocalPaymentGateway)) return { skipped: 'the finance demo writes to the local payment provider only (PAYMENT_GATEWAY=local)', orders: 0 };
  const first = await db.paymentSaga.findUnique({ where: { orderId: 'CM-D-001' }, select: { startedAt: true } });
  // "Today" of the demo is fixed by its first run.
  const anchor = first ? first.startedAt.getTime() + 29 * DAY : Date.now() - 60 * 60_000;
  const at = (daysAgo: number, hour: number) => new Date(Math.floor((anchor - daysAgo * DAY) / DAY) * DAY + hour * 3_600_000);
  const finance = await db.staffUser.findUnique({ where: { email: 'finance@vigie.demo' }, select: { id: true } });

  const orders: Array<Omit<OrderFixture, 'tenantId'>> = [];
  for (let i = 0; i < 36; i++) {
    const orderId = `CM-D-${String(i + 1).padStart(3, '0')}`;
    const totalCents = AMOUNTS[i % AMOUNTS.length]! + i * 100;
    const when = at(29 - Math.floor((i * 30) / 36), 9 + ((i * 7) % 10));
    const buyerId = `acheteur-${100 + (i % 11)}`;
    const sellerId = `vendeur-${200 + (i % 7)}`;
    if (i % 9 === 4) {
      orders.push({ orderId, totalCents, status: 'compensated', at: when, buyerId, sellerId, steps: [{ kind: 'charge' }, { kind: 'transfer', ledger: 'failed' }, { kind: 'refund' }] });
    } else if (i % 13 === 7) {
      orders.push({ orderId, totalCents, status: 'failed', at: when, buyerId, sellerId, steps: [{ kind: 'charge', ledger: 'failed' }] });
    } else {
      orders.push({ orderId, totalCents, status: 'succeeded', at: when, buyerId, sellerId, steps: happy });
    }
  }

  // One order per kind of mismatch, in the last week (the reconciliation page's default period).
  orders.push(
    {
      // Every answer to the charge was lost: the saga gave up, the provider kept the money.
      orderId: 'CM-D-101', totalCents: 12_000, status: 'failed', at: at(6, 10), steps: [{ kind: 'charge', ledger: 'pending', provider: true }],
      incident: { severity: 'normal', failedStep: 'débiterAcheteur', error: 'ErreurFournisseurTransitoire: charge: connection reset before the answer' },
    },
    {
      // The seller was paid, insurance failed, reversing the transfer failed, the buyer was refunded.
      orderId: 'CM-D-102', totalCents: 18_000, status: 'compensation_incomplete', at: at(5, 11),
      steps: [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance', ledger: 'failed' }, { kind: 'transfer_reversal', ledger: 'failed' }, { kind: 'refund' }],
      incident: {
        severity: 'high', failedStep: 'facturerAssurance', error: 'OpérationRefusée: bill_insurance: refused by the provider',
        compensations: [{ action: 'inverserTransfertVendeur', statut: 'échouée', erreur: 'ErreurFournisseurTransitoire: no answer from the provider' }, { action: 'rembourserAcheteur', statut: 'réussie' }],
      },
    },
    {
      // The seed's 340 €: refunded from the console, then again by hand in the provider's dashboard.
      orderId: 'CM-D-103', totalCents: 68_000, status: 'succeeded', at: at(4, 14),
      steps: [...happy, { kind: 'refund', key: 'remboursement-console-CM-D-103-demo', amountCents: 34_000 }, { kind: 'refund', key: 'dashboard-refund-CM-D-103', amountCents: 34_000, ledger: 'none', provider: true }],
    },
    // A transfer made in the dashboard from the platform balance, for an order whose card was declined.
    { orderId: 'CM-D-104', totalCents: 9_990, status: 'failed', at: at(4, 16), steps: [{ kind: 'charge', ledger: 'failed' }, { kind: 'transfer', ledger: 'none', provider: 'orphan' }] },
    { orderId: 'CM-D-105', totalCents: 18_000, status: 'succeeded', at: at(3, 9), steps: [{ kind: 'charge' }, { kind: 'transfer' }, { kind: 'insurance', providerAmountCents: 95 }] },
    { orderId: 'CM-D-106', totalCents: 24_550, status: 'succeeded', at: at(2, 15), steps: [...happy, { kind: 'refund', key: 'dashboard-refund-CM-D-106', amountCents: 1_500, ledger: 'none', provider: true }] },
    { orderId: 'CM-D-107', totalCents: 32_000, status: 'succeeded', at: at(1, 12), steps: [{ kind: 'charge' }, { kind: 'transfer', provider: false, ledgerProviderId: 'tr_local_lost_in_migration' }, { kind: 'insurance' }] },
  );

  for (const o of orders) await writeOrder(db, gateway, { tenantId, buyerId: `acheteur-${o.orderId.slice(-3)}`, sellerId: `vendeur-${o.orderId.slice(-2)}`, ...o });
  // The console refund of CM-D-103 as finance asked for it, so its story shows who and why.
  if (finance) {
    const charge = await db.ledgerEntry.findUnique({ where: { idempotencyKey: 'charge-CM-D-103' }, select: { providerId: true } });
    await db.paymentRefund.upsert({
      where: { idempotencyKey: 'remboursement-console-CM-D-103-demo' },
      create: {
        tenantId, orderId: 'CM-D-103', chargeId: charge?.providerId ?? '', amountCents: 34_000, reason: 'Vase arrived broken (photo in ticket #5521)',
        idempotencyKey: 'remboursement-console-CM-D-103-demo', requestKey: 'demo', status: 'succeeded', requestedBy: finance.id, requestedByEmail: 'finance@vigie.demo',
        createdAt: at(4, 15), updatedAt: at(4, 15), settledAt: at(4, 15),
      },
      update: {},
    });
  }
  return { skipped: null, orders: orders.length };
}

/**
 * The live failed saga, run by the worker: the seller's account is refused at the transfer and
 * the provider refuses the buyer's refund once, so the compensation fails and the saga opens a
 * high-severity incident. Retrying the refund from the console then succeeds. Needs the worker
 * with PAYMENT_GATEWAY=local; a second run finds the saga already there.
 */
export async function seedDemoFinanceWorkflows(db: Db, client: Client, opts: { tenantId?: string; taskQueue?: string } = {}) {
  const tenantId = opts.tenantId ?? DEMO_FINANCE_TENANT;
  const commandeId = DEMO_FAILED_SAGA;
  const known = await db.paymentSaga.findUnique({ where: { orderId: commandeId }, select: { status: true } });
  if (!known) {
    const armed = await db.providerFault.count({ where: { target: commandeId } });
    if (armed === 0) {
      await injectFault(db, { operation: 'transfer', mode: 'invalid_account', target: commandeId });
      await injectFault(db, { operation: 'refund', mode: 'reject', target: commandeId, times: 1 });
    }
  }
  const handle = await startPaymentSaga(client, { tenantId, commandeId, acheteurId: 'acheteur-2099', vendeurId: 'vendeur-non-verifie', montantTotal: 15_600 }, opts.taskQueue ? { taskQueue: opts.taskQueue } : {});
  return { commandeId, handle };
}
