// Finance demo data for CraftMarket (seed case 4): a month of orders for the payments charts,
// one order for every kind of reconciliation mismatch in the last week, two finance incidents,
// and — through the real worker — a saga whose transfer and refund compensation both fail,
// leaving an open high-severity incident whose compensation finance can retry.
// Idempotent: ids and keys are fixed, rows are inserted once, and every date derives from the
// first demo order's, so a second run changes nothing.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../../prisma/db';
import type { TenantContext } from '../../app/server/auth.server';
import { asLanguage } from '../../app/preferences/languages';
import type { Role } from '../../generated/prisma/enums';
import { writeOrder, type OrderFixture, type StepFixture } from '../../finance/fixtures';
import { incidentKey } from '../../finance/saga-keys';
import { injectFault } from '../../ports/faults';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import type { PaymentGateway } from '../../ports/payment-gateway';
import { startPaymentSaga } from '../../temporal/starters';
import { DEMO_CLOCK, planDemoSagas, planFollowUps, type DemoClock } from './demo-plan';

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
export async function seedDemoFinanceWorkflows(db: Db, client: Client, opts: { tenantId?: string; taskQueue?: string; orderId?: string } = {}) {
  const tenantId = opts.tenantId ?? DEMO_FINANCE_TENANT;
  // A workflow id is the namespace's, not the tenant's: a test seeding another tenant names its own order.
  const commandeId = opts.orderId ?? DEMO_FAILED_SAGA;
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

/** A demo staff member acting in a demo tenant, as the console's session would describe them. */
export async function demoStaffContext(db: Db, email: string, tenantId: string, role: Role): Promise<TenantContext> {
  const [staff, tenant] = await Promise.all([
    db.staffUser.findUnique({ where: { email }, select: { id: true, email: true, name: true, timeZone: true, language: true } }),
    db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true } }),
  ]);
  if (!staff || !tenant) throw new Error(`${email} and tenant ${tenantId} must be seeded first (seedCore)`);
  return {
    userId: staff.id, email: staff.email, name: staff.name, sessionId: randomUUID(), sessionTenantId: tenant.id,
    timeZone: staff.timeZone, language: asLanguage(staff.language), lastTenantId: null, lastPath: null,
    memberships: [{ tenantId: tenant.id, tenantName: tenant.name, role }], tenantId: tenant.id, tenantName: tenant.name, role,
  };
}

export interface FollowUpCounts {
  /** Done now or earlier (a replayed request key), or refused because a person got there first. */
  done: number;
  /** Their saga has not ended yet. */
  waiting: number;
}

/**
 * What finance does once the planned sagas have ended (demo-plan.ts planFollowUps): partial and
 * full refunds, the failed refund of a saga retried, incidents acknowledged, assigned and resolved.
 * It goes through the console's own functions, as finance@vigie.demo, so each leaves its audit
 * row and incident timeline; their request keys are fixed, so running it again does nothing new.
 * Those functions write to DATABASE_URL, which must therefore be the database given here.
 */
export async function settleDemoFinance(db: Db, opts: { databaseUrl: string; sagas: number; clock?: DemoClock; tenantId?: string }): Promise<FollowUpCounts> {
  const tenantId = opts.tenantId ?? DEMO_FINANCE_TENANT;
  const followUps = planFollowUps(planDemoSagas(opts.sagas, opts.clock ?? DEMO_CLOCK));
  if (followUps.length === 0) return { done: 0, waiting: 0 };
  if (process.env.DATABASE_URL !== opts.databaseUrl) throw new Error('settleDemoFinance: the console functions write to DATABASE_URL, which is not the database being seeded');
  const ctx = await demoStaffContext(db, 'finance@vigie.demo', tenantId, 'finance');
  // Loaded here: the console modules read the console's environment when first used.
  const { runMoneyAction } = await import('../../app/finance/refunds.server');
  const { changeIncident } = await import('../../app/finance/incidents.server');

  const orderIds = [...new Set(followUps.map((f) => f.commandeId))];
  const ended = new Set((await db.paymentSaga.findMany({ where: { tenantId, orderId: { in: orderIds }, status: { not: 'running' } }, select: { orderId: true } })).map((s) => s.orderId));
  const incidents = new Map((await db.financeIncident.findMany({ where: { tenantId, idempotencyKey: { in: orderIds.map(incidentKey) } }, select: { orderId: true, id: true } })).map((i) => [i.orderId, i.id]));
  const counts: FollowUpCounts = { done: 0, waiting: 0 };
  for (const f of followUps) {
    const incidentId = incidents.get(f.commandeId);
    if (!ended.has(f.commandeId) || (f.op !== 'refund' && f.op !== 'retry-refund-compensation' && !incidentId)) {
      counts.waiting++;
      continue;
    }
    const key = (what: string) => `demo-${what}-${f.commandeId}`;
    const outcomes =
      f.op === 'refund' ? [await runMoneyAction(ctx, f.commandeId, { op: 'refund', idempotencyKey: key('refund'), reason: f.reason, amount: f.amountCents })]
      : f.op === 'retry-refund-compensation' ? [await runMoneyAction(ctx, f.commandeId, { op: 'retry-compensation', idempotencyKey: key('retry'), compensation: 'rembourserAcheteur' })]
      : f.op === 'resolve-incident' ? [await changeIncident(ctx, incidentId!, { op: 'resolve', idempotencyKey: key('resolve'), reason: f.reason })]
      : [
        await changeIncident(ctx, incidentId!, { op: 'acknowledge', idempotencyKey: key('acknowledge') }),
        await changeIncident(ctx, incidentId!, { op: 'assign', idempotencyKey: key('assign'), assigneeId: ctx.userId }),
      ];
    // A 409 is someone having done it already (an incident resolved by hand): nothing left to do.
    const failed = outcomes.find((o) => !o.ok && o.status !== 409);
    if (failed && !failed.ok) throw new Error(`settleDemoFinance: ${f.op} of ${f.commandeId} failed: ${failed.error}`);
    counts.done++;
  }
  return counts;
}

/** settleDemoFinance until nothing waits (the planned sagas have all ended) or `timeoutMs` has passed. */
export async function settleDemoFinanceWhenEnded(db: Db, opts: Parameters<typeof settleDemoFinance>[1] & { timeoutMs: number; everyMs?: number }): Promise<FollowUpCounts> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const counts = await settleDemoFinance(db, opts);
    if (counts.waiting === 0 || Date.now() >= deadline) return counts;
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 2_000));
  }
}
