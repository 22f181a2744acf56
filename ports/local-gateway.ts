// A stand-in for Stripe that keeps its state in PostgreSQL (provider_objects), so the
// worker, the tests and the console see the same provider and it survives restarts. It
// behaves like Stripe where the sagas depend on it: one object per idempotency key (failed
// requests included, so a replay gets the same answer), a key reused with other parameters is
// refused, refunds and reversals cannot exceed what they undo. Faults are armed in
// provider_faults (faults.ts); see docs/decisions/010-local-payment-gateway-in-postgres.md.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../prisma/db';
import { Prisma } from '../prisma/db';
import { localEventOf, type LocalObjectRow } from './local-events';
import { consumeFault, pause, type ArmedFault, type FaultOperation } from './faults';
import {
  GatewayError,
  type ChargeRequest,
  type CancelInsuranceRequest,
  type EventListRequest,
  type EventPage,
  type GatewayObjectKind,
  type GatewayPage,
  type GatewayRecord,
  type GatewayResult,
  type InsuranceRequest,
  type ListRequest,
  type PaymentGateway,
  type ProviderEvent,
  type RefundRequest,
  type ReverseTransferRequest,
  type TransferRequest,
  type TrialRequest,
} from './payment-gateway';

const ID_PREFIX: Record<GatewayObjectKind, string> = {
  charge: 'ch_local_',
  transfer: 'tr_local_',
  transfer_reversal: 'trr_local_',
  refund: 're_local_',
  insurance: 'ii_local_',
  insurance_cancel: 'iid_local_',
  trial: 'sub_local_',
};

interface Mutation {
  operation: FaultOperation;
  kind: GatewayObjectKind;
  idempotencyKey: string;
  /** The parameters that make two requests "the same" for an idempotency key. */
  params: Record<string, string | number | null>;
  amountCents: number | null;
  counterparty: string | null;
  sourceId: string | null;
  commandeId: string | null;
  tenantId?: string;
  metadata?: Record<string, string | number>;
  /** Checks against existing objects, inside the transaction that creates the new one. */
  validate?: (tx: Prisma.TransactionClient) => Promise<void>;
}

type ObjectRow = { id: string; status: string; requestFingerprint: string; errorCode: string | null; errorMessage: string | null };

interface NewObject {
  id: string;
  kind: GatewayObjectKind;
  idempotencyKey: string;
  fingerprint: string;
  status: 'succeeded' | 'failed';
  amountCents: number | null;
  counterparty: string | null;
  sourceId: string | null;
  orderId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  metadata: Record<string, unknown>;
}

/** Inserts unless the key exists; returns the new row, or null when another request holds the key. */
async function insertObject(db: Db | Prisma.TransactionClient, o: NewObject): Promise<ObjectRow | null> {
  const rows = await db.$queryRaw<Array<{ id: string; status: string; request_fingerprint: string; error_code: string | null; error_message: string | null }>>`
    INSERT INTO provider_objects (id, kind, idempotency_key, request_fingerprint, status, amount_cents, counterparty, source_id, order_id, error_code, error_message, metadata)
    VALUES (${o.id}, ${o.kind}, ${o.idempotencyKey}, ${o.fingerprint}, ${o.status}, ${o.amountCents}, ${o.counterparty}, ${o.sourceId}, ${o.orderId},
            ${o.errorCode}, ${o.errorMessage}, ${JSON.stringify(o.metadata)}::jsonb)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, status, request_fingerprint, error_code, error_message`;
  const r = rows[0];
  return r ? { id: r.id, status: r.status, requestFingerprint: r.request_fingerprint, errorCode: r.error_code, errorMessage: r.error_message } : null;
}

export class LocalPaymentGateway implements PaymentGateway {
  constructor(private readonly db: Db) {}

  async charge(req: ChargeRequest) {
    positive(req.amountCents);
    return this.mutate({
      operation: 'charge',
      tenantId: req.tenantId,
      kind: 'charge',
      idempotencyKey: req.idempotencyKey,
      params: { acheteurId: req.acheteurId, amountCents: req.amountCents, commandeId: req.commandeId },
      amountCents: req.amountCents,
      counterparty: req.acheteurId,
      sourceId: null,
      commandeId: req.commandeId,
      metadata: { description: req.description },
    });
  }

  async transfer(req: TransferRequest) {
    positive(req.amountCents);
    return this.mutate({
      operation: 'transfer',
      tenantId: req.tenantId,
      kind: 'transfer',
      idempotencyKey: req.idempotencyKey,
      params: { vendeurId: req.vendeurId, amountCents: req.amountCents, source: req.sourceChargeId },
      amountCents: req.amountCents,
      counterparty: req.vendeurId,
      sourceId: req.sourceChargeId,
      commandeId: req.commandeId,
      validate: (tx) => this.checkDrawable(tx, req.sourceChargeId, 'charge', ['transfer'], req.amountCents),
    });
  }

  async reverseTransfer(req: ReverseTransferRequest) {
    positive(req.amountCents);
    return this.mutate({
      operation: 'reverse_transfer',
      tenantId: req.tenantId,
      kind: 'transfer_reversal',
      idempotencyKey: req.idempotencyKey,
      params: { transferId: req.transferId, amountCents: req.amountCents },
      amountCents: req.amountCents,
      counterparty: null,
      sourceId: req.transferId,
      commandeId: req.commandeId,
      metadata: { reason: req.reason },
      validate: (tx) => this.checkDrawable(tx, req.transferId, 'transfer', ['transfer_reversal'], req.amountCents),
    });
  }

  async refund(req: RefundRequest) {
    positive(req.amountCents);
    return this.mutate({
      operation: 'refund',
      tenantId: req.tenantId,
      kind: 'refund',
      idempotencyKey: req.idempotencyKey,
      params: { chargeId: req.chargeId, amountCents: req.amountCents },
      amountCents: req.amountCents,
      counterparty: null,
      sourceId: req.chargeId,
      commandeId: req.commandeId,
      metadata: { reason: req.reason },
      validate: (tx) => this.checkDrawable(tx, req.chargeId, 'charge', ['refund'], req.amountCents),
    });
  }

  async billInsurance(req: InsuranceRequest) {
    nonNegative(req.amountCents);
    return this.mutate({
      operation: 'bill_insurance',
      tenantId: req.tenantId,
      kind: 'insurance',
      idempotencyKey: req.idempotencyKey,
      params: { amountCents: req.amountCents, commandeId: req.commandeId },
      amountCents: req.amountCents,
      counterparty: 'insurer',
      sourceId: null,
      commandeId: req.commandeId,
    });
  }

  async cancelInsurance(req: CancelInsuranceRequest) {
    // Like deleting a Stripe invoice item: cancelling an already cancelled fee returns that cancellation.
    const earlier = await this.db.providerObject.findFirst({ where: { kind: 'insurance_cancel', sourceId: req.insuranceId, status: 'succeeded' } });
    if (earlier && earlier.idempotencyKey !== req.idempotencyKey) return { id: earlier.id };
    return this.mutate({
      operation: 'cancel_insurance',
      tenantId: req.tenantId,
      kind: 'insurance_cancel',
      idempotencyKey: req.idempotencyKey,
      params: { insuranceId: req.insuranceId },
      amountCents: null,
      counterparty: 'insurer',
      sourceId: req.insuranceId,
      commandeId: req.commandeId,
      metadata: { reason: req.reason },
      validate: async (tx) => {
        const fee = await tx.providerObject.findUnique({ where: { id: req.insuranceId } });
        if (!fee || fee.kind !== 'insurance' || fee.status !== 'succeeded') throw new GatewayError('rejected', `no insurance fee ${req.insuranceId} to cancel`, 'resource_missing');
      },
    });
  }

  async startTrial(req: TrialRequest) {
    if (!Number.isInteger(req.trialDays) || req.trialDays < 1) throw new GatewayError('rejected', 'trialDays must be a positive integer', 'parameter_invalid_integer');
    return this.mutate({
      operation: 'start_trial',
      kind: 'trial',
      idempotencyKey: req.idempotencyKey,
      params: { utilisateurId: req.utilisateurId, planId: req.planId, trialDays: req.trialDays },
      amountCents: null,
      counterparty: req.utilisateurId,
      sourceId: null,
      commandeId: null,
      metadata: { email: req.email, planId: req.planId, trialDays: req.trialDays },
    });
  }

  listCharges(req: ListRequest) {
    return this.list(['charge'], req);
  }

  listRefunds(req: ListRequest) {
    return this.list(['refund'], req);
  }

  /** Transfers and their reversals, as Stripe reports a transfer with its reversals. */
  listTransfers(req: ListRequest) {
    return this.list(['transfer', 'transfer_reversal'], req);
  }

  /** Insurance fees still billed: a cancelled fee is absent, as a deleted Stripe invoice item is. */
  listInsurance(req: ListRequest) {
    return this.list(['insurance'], req, { excludeCancelledInsurance: true });
  }

  /** The stand-in's events since a time, oldest first: one per object it made (local-events.ts). */
  async listEvents(req: EventListRequest): Promise<EventPage> {
    const limit = Math.min(Math.max(req.limit ?? 100, 1), 100);
    const after = req.cursor ? decodeCursor(req.cursor) : null;
    const rows = await this.db.$queryRaw<LocalObjectRow[]>`
      SELECT id, kind, status, amount_cents, currency, counterparty, source_id, metadata, created_at FROM provider_objects
       WHERE created_at >= ${req.since} ${after ? Prisma.sql`AND (created_at, id) > (${after.createdAt}, ${after.id})` : Prisma.empty}
       ORDER BY created_at, id LIMIT ${limit + 1}`;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: await renderLocalEvents(this.db, page), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  }

  private async mutate(m: Mutation): Promise<GatewayResult> {
    if (!m.idempotencyKey) throw new GatewayError('rejected', 'an idempotency key is required', 'parameter_missing');
    const fault = await consumeFault(this.db, m.operation, [m.commandeId, m.idempotencyKey, m.counterparty]);
    if (fault?.mode === 'timeout') throw new GatewayError('transient', `${m.operation}: no answer from the provider (injected timeout)`, 'timeout');
    if (fault?.mode === 'delay') await pause(fault.delayMs);
    if (fault?.mode === 'reject') throw new GatewayError('rejected', `${m.operation}: refused by the provider (injected)`, 'invalid_request');

    const fingerprint = createHash('sha256').update(JSON.stringify([m.kind, m.params])).digest('hex');
    const result = await this.createOnce(m, fingerprint, fault);
    // The provider did it and recorded it; only the answer is lost on the way back.
    if (fault?.mode === 'lost_answer') throw new GatewayError('transient', `${m.operation}: connection reset before the answer (injected)`, 'lost_answer');
    return result;
  }

  private async createOnce(m: Mutation, fingerprint: string, fault: ArmedFault | null): Promise<GatewayResult> {
    const refusal = refusalFor(m, fault);
    const row: NewObject = {
      id: ID_PREFIX[m.kind] + randomUUID().replaceAll('-', ''),
      kind: m.kind,
      idempotencyKey: m.idempotencyKey,
      fingerprint,
      status: refusal ? 'failed' : 'succeeded',
      amountCents: m.amountCents,
      counterparty: m.counterparty,
      sourceId: m.sourceId,
      orderId: m.commandeId,
      errorCode: refusal?.code ?? null,
      errorMessage: refusal?.message ?? null,
      metadata: { idempotencyKey: m.idempotencyKey, ...(m.commandeId ? { commandeId: m.commandeId } : {}), ...(m.tenantId ? { tenantId: m.tenantId } : {}), ...m.metadata },
    };
    const again = () => this.findByKey(m.idempotencyKey);
    // Nothing to check against other objects: one statement, and a concurrent twin simply loses the insert.
    if (!m.validate || refusal) {
      const created = await insertObject(this.db, row);
      return replay(created ?? (await again())!, fingerprint, m.idempotencyKey);
    }
    // A replay must not be validated again: the refund being replayed already used up its charge.
    const existing = await again();
    if (existing) return replay(existing, fingerprint, m.idempotencyKey);
    try {
      const created = await this.db.$transaction(async (tx) => {
        await m.validate!(tx);
        return insertObject(tx, row);
      });
      return replay(created ?? (await again())!, fingerprint, m.idempotencyKey);
    } catch (error) {
      // A concurrent request with this key won while we validated: answer like it.
      const winner = error instanceof GatewayError ? await again() : null;
      if (winner) return replay(winner, fingerprint, m.idempotencyKey);
      throw error;
    }
  }

  private findByKey(idempotencyKey: string): Promise<ObjectRow | null> {
    return this.db.providerObject.findUnique({
      where: { idempotencyKey },
      select: { id: true, status: true, requestFingerprint: true, errorCode: true, errorMessage: true },
    });
  }

  /** The object drawn on must exist, have succeeded, and still cover the amount after earlier draws. */
  private async checkDrawable(tx: Prisma.TransactionClient, sourceId: string, sourceKind: GatewayObjectKind, drawKinds: GatewayObjectKind[], amountCents: number) {
    const rows = await tx.$queryRaw<Array<{ kind: string; status: string; amount_cents: number | null }>>`
      SELECT kind, status, amount_cents FROM provider_objects WHERE id = ${sourceId} FOR UPDATE`;
    const source = rows[0];
    if (!source || source.kind !== sourceKind) throw new GatewayError('rejected', `no ${sourceKind} ${sourceId}`, 'resource_missing');
    if (source.status !== 'succeeded') throw new GatewayError('rejected', `${sourceKind} ${sourceId} did not succeed`, 'invalid_state');
    const drawn = await tx.providerObject.aggregate({
      where: { sourceId, kind: { in: drawKinds }, status: 'succeeded' },
      _sum: { amountCents: true },
    });
    const available = (source.amount_cents ?? 0) - (drawn._sum.amountCents ?? 0);
    if (amountCents > available) throw new GatewayError('rejected', `${amountCents} cents exceed the ${available} left on ${sourceId}`, 'amount_too_large');
  }

  private async list(kinds: GatewayObjectKind[], req: ListRequest, opts: { excludeCancelledInsurance?: boolean } = {}): Promise<GatewayPage> {
    const limit = Math.min(Math.max(req.limit ?? 100, 1), 100);
    const after = req.cursor ? decodeCursor(req.cursor) : null;
    const rows = await this.db.providerObject.findMany({
      where: {
        kind: { in: kinds },
        createdAt: { gte: req.from, lt: req.to },
        ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    let cancelled = new Set<string>();
    if (opts.excludeCancelledInsurance && page.length) {
      const cancels = await this.db.providerObject.findMany({
        where: { kind: 'insurance_cancel', status: 'succeeded', sourceId: { in: page.map((r) => r.id) } },
        select: { sourceId: true },
      });
      cancelled = new Set(cancels.map((c) => c.sourceId ?? ''));
    }
    const last = page.at(-1);
    return {
      items: page.filter((r) => !cancelled.has(r.id)).map(toRecord),
      nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }
}

function positive(amountCents: number) {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new GatewayError('rejected', `amount must be a positive integer of cents, got ${amountCents}`, 'parameter_invalid_integer');
}

function nonNegative(amountCents: number) {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) throw new GatewayError('rejected', `amount must be a non-negative integer of cents, got ${amountCents}`, 'parameter_invalid_integer');
}

/** A refusal the provider records against the key, as Stripe keeps a declined charge. */
function refusalFor(m: Mutation, fault: ArmedFault | null): { code: string; message: string } | null {
  if (fault?.mode === 'decline') {
    return m.kind === 'charge'
      ? { code: 'card_declined:stolen_card', message: 'Your card was declined.' }
      : { code: 'invalid_request', message: `${m.operation} refused by the provider (injected decline)` };
  }
  if (fault?.mode === 'invalid_account') return { code: 'account_invalid', message: `account ${m.counterparty ?? '?'} cannot receive transfers (injected)` };
  return null;
}

function replay(row: ObjectRow, fingerprint: string, key: string): GatewayResult {
  if (row.requestFingerprint !== fingerprint) {
    throw new GatewayError('idempotency_conflict', `idempotency key ${key} was already used with other parameters`, 'idempotency_key_in_use');
  }
  if (row.status === 'succeeded') return { id: row.id };
  const [code, declineCode] = (row.errorCode ?? '').split(':');
  const message = row.errorMessage ?? 'refused';
  if (code === 'card_declined') throw new GatewayError('card_declined_permanent', message, code, declineCode);
  if (code === 'account_invalid') throw new GatewayError('invalid_account', message, code);
  throw new GatewayError('rejected', message, code || undefined);
}

/** Events of these rows, in their order; a reversal's event carries its transfer and the transfer's reversals. */
export async function renderLocalEvents(db: Db | Prisma.TransactionClient, rows: LocalObjectRow[]): Promise<ProviderEvent[]> {
  const transferIds = [...new Set(rows.filter((r) => r.kind === 'transfer_reversal' && r.source_id).map((r) => r.source_id!))];
  const related = transferIds.length
    ? await db.$queryRaw<LocalObjectRow[]>`
        SELECT id, kind, status, amount_cents, currency, counterparty, source_id, metadata, created_at FROM provider_objects
         WHERE (id = ANY(${transferIds}::text[]) AND kind = 'transfer') OR (source_id = ANY(${transferIds}::text[]) AND kind = 'transfer_reversal' AND status = 'succeeded')
         ORDER BY created_at, id`
    : [];
  const transfers = new Map(related.filter((r) => r.kind === 'transfer').map((r) => [r.id, r]));
  return rows.flatMap((row) => {
    const transfer = row.kind === 'transfer_reversal' && row.source_id ? transfers.get(row.source_id) : undefined;
    // The reversals made up to this one, as the transfer stood when it was reversed.
    const reversals = transfer ? related.filter((r) => r.source_id === transfer.id && (r.created_at < row.created_at || (r.created_at.getTime() === row.created_at.getTime() && r.id <= row.id))) : undefined;
    const event = localEventOf(row, { transfer, reversals });
    return event ? [event] : [];
  });
}

function toRecord(r: { id: string; kind: string; status: string; amountCents: number | null; currency: string; createdAt: Date; idempotencyKey: string; orderId: string | null; sourceId: string | null; metadata: unknown }): GatewayRecord {
  return {
    id: r.id,
    kind: r.kind as GatewayObjectKind,
    status: r.status === 'succeeded' ? 'succeeded' : 'failed',
    amountCents: r.amountCents ?? 0,
    currency: r.currency,
    createdAt: r.createdAt.toISOString(),
    idempotencyKey: r.idempotencyKey,
    commandeId: r.orderId,
    sourceId: r.sourceId,
    tenantId: typeof (r.metadata as { tenantId?: unknown } | null)?.tenantId === 'string' ? (r.metadata as { tenantId: string }).tenantId : null,
  };
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new GatewayError('rejected', 'invalid cursor', 'parameter_invalid');
  }
}
