// Finance's view of the payment sagas (seed case 4). The list, its filters, sorting, paging and
// charts come from PostgreSQL (payment_sagas): finance filters by buyer, seller and amount,
// which visibility does not index, and needs sums. One saga's page adds the ledger, the
// incident, refunds and retries, and what Temporal says — each Temporal call under a deadline,
// falling back to the saga's own record, then to the ledger, when Temporal is slow or gone.
import type { Client } from '@temporalio/client';
import type { ChartDay } from './labels';
import { z } from 'zod';
import { Prisma } from '../../prisma/db';
import { readChargePosition, type ChargePosition } from '../../finance/charge-position';
import { compensationKey, COMPENSATION_ACTIONS, type CompensationAction } from '../../finance/compensation-retry';
import { queryJournalSaga, type CompensationJournal, type JournalSaga, type ÉtapeJournal } from '../../temporal/workflows/payment.contract';
import { db, likeLiteral } from '../server/db.server';
import { dayEndInstant, dayStartInstant, instantToWallTime } from '../components/time';
import { day, dayRange } from '../server/fields';
import { invariantResponse, readSearch } from '../server/http.server';
import { SAGA_STATUSES } from './labels';
import { serverT } from '../i18n/server-t.server';
import { sagaStatusFromWire } from '../../finance/saga-status';
import { temporal } from '../server/temporal.server';
import { describeTenantWorkflow } from '../workflows/list.server';

/** How long a page waits for Temporal before it shows what PostgreSQL knows. */
export const TEMPORAL_TIMEOUT_MS = 3_000;

export const sagaListSchema = z
  .object({
    status: z.enum(SAGA_STATUSES).optional(),
    q: z.string().trim().max(100, 'use at most 100 characters').optional(),
    from: day,
    to: day,
    sort: z.enum(['started', 'amount', 'order', 'status']).default('started'),
    dir: z.enum(['asc', 'desc']).default('desc'),
    cursor: z.string().max(300).optional(),
    size: z.coerce.number().int().refine((n) => [25, 50, 100].includes(n), 'size must be 25, 50 or 100').default(50),
  })
  .refine(...dayRange);
/**
 * The list's parameters; `tz`, the operator's zone, is the zone of the from/to days and of the charts' days (UTC when absent);
 * `language`, the operator's, is the language of the errors (English when absent).
 */
export type SagaListParams = z.infer<typeof sagaListSchema> & { tz?: string; language?: string };

/** The list's parameters from a query string (loaders use parseSearch with sagaListSchema). */
export function parseSagaList(search: URLSearchParams): { ok: true; params: SagaListParams } | { ok: false; error: string } {
  const read = readSearch(search, sagaListSchema);
  return read.ok ? { ok: true, params: read.data } : read;
}

const SORT_FIELDS = { started: 'startedAt', amount: 'totalCents', order: 'orderId', status: 'status' } as const;
// Calendar arithmetic on day strings ("YYYY-MM-DD") is done in UTC; instants come from the zone.
const utcDay = (d: string) => new Date(`${d}T00:00:00Z`);

function sagaWhere(tenantId: string, p: SagaListParams): Prisma.PaymentSagaWhereInput {
  return {
    tenantId,
    ...(p.status && { status: p.status }),
    ...(p.q && {
      OR: ['orderId', 'buyerId', 'sellerId'].map((f) => ({ [f]: { contains: likeLiteral(p.q!), mode: 'insensitive' as const } })),
    }),
    ...((p.from || p.to) && { startedAt: { ...(p.from && { gte: dayStartInstant(p.from, p.tz ?? 'UTC') }), ...(p.to && { lt: dayEndInstant(p.to, p.tz ?? 'UTC') }) } }),
  };
}

export async function listSagas(tenantId: string, p: SagaListParams) {
  const where = sagaWhere(tenantId, p);
  const field = SORT_FIELDS[p.sort];
  // Keyset paging on (sort field, order id): Prisma's cursor compares every orderBy field with the cursor row's.
  // Prisma looks the cursor row up by its id alone: it is resolved within the tenant first, so
  // another tenant's order id pages exactly like an unknown one (an empty page).
  const anchored = p.cursor ? Boolean(await db().paymentSaga.findFirst({ where: { tenantId, orderId: p.cursor }, select: { orderId: true } })) : true;
  const [records, total] = await Promise.all([
    !anchored ? Promise.resolve([]) : db().paymentSaga.findMany({
      where,
      orderBy: [{ [field]: p.dir }, { orderId: p.dir }],
      ...(p.cursor ? { cursor: { orderId: p.cursor }, skip: 1 } : {}),
      take: p.size + 1,
      select: { orderId: true, workflowId: true, buyerId: true, sellerId: true, totalCents: true, status: true, startedAt: true, endedAt: true },
    }),
    db().paymentSaga.count({ where }),
  ]);
  const page = records.slice(0, p.size);
  const incidents = page.length
    ? await db().financeIncident.findMany({ where: { tenantId, orderId: { in: page.map((r) => r.orderId) } }, select: { id: true, orderId: true, status: true } })
    : [];
  const incidentOf = new Map(incidents.map((i) => [i.orderId, i]));
  return {
    total,
    nextCursor: records.length > p.size ? page[page.length - 1]!.orderId : null,
    rows: page.map((r) => ({
      ...r,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      incident: incidentOf.get(r.orderId) ?? null,
    })),
  };
}


/** Daily volume and outcomes over the list's filters; without dates, the last 30 days. At most 366 days. */
export async function sagaCharts(tenantId: string, p: SagaListParams, today = new Date()) {
  const tz = p.tz ?? 'UTC';
  const todayDay = instantToWallTime(today, tz).slice(0, 10);
  const to = p.to ?? (p.from && p.from > todayDay ? p.from : todayDay);
  const from = p.from ?? new Date(utcDay(to).getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
  const days = Math.round((utcDay(to).getTime() - utcDay(from).getTime()) / 86_400_000) + 1;
  invariantResponse(days <= 366, serverT(p.language, 'finance')('server.chartsTooLong'), 400);
  const conds = [Prisma.sql`tenant_id = ${tenantId}`, Prisma.sql`started_at >= ${dayStartInstant(from, tz)}`, Prisma.sql`started_at < ${dayEndInstant(to, tz)}`];
  if (p.status) conds.push(Prisma.sql`status = ${p.status}`);
  if (p.q) {
    const pattern = `%${likeLiteral(p.q)}%`;
    conds.push(Prisma.sql`(order_id ILIKE ${pattern} OR buyer_id ILIKE ${pattern} OR seller_id ILIKE ${pattern})`);
  }
  const rows = await db().$queryRaw<Array<{ day: string; status: string; n: number; cents: bigint }>>`
    SELECT to_char((started_at AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS day, status, count(*)::int AS n, COALESCE(sum(total_cents), 0)::bigint AS cents
      FROM payment_sagas WHERE ${Prisma.join(conds, ' AND ')}
     GROUP BY 1, 2`;
  const byDay = new Map<string, ChartDay>();
  for (let i = 0; i < days; i++) {
    const day = new Date(utcDay(from).getTime() + i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, orders: 0, volumeCents: 0, succeededCents: 0, running: 0, succeeded: 0, compensated: 0, compensation_incomplete: 0, failed: 0 });
  }
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (!d) continue;
    const status = SAGA_STATUSES.find((s) => s === r.status);
    const cents = Number(r.cents);
    d.orders += r.n;
    d.volumeCents += cents;
    if (status === 'succeeded') d.succeededCents += cents;
    if (status) d[status] += r.n;
  }
  return { from, to, days: [...byDay.values()] };
}

// ---- one saga

export interface StepView {
  name: string;
  status: string;
  providerId: string | null;
  at: string | null;
  error: string | null;
}

export interface CompensationView {
  action: string;
  status: string;
  providerId: string | null;
  at: string | null;
  error: string | null;
  /** A retry from the console: who asked for it. */
  retryBy: string | null;
}

/** Why something of Temporal's is missing: a key of the finance namespace's `saga.note`, and its values. */
export interface TemporalNote {
  key: 'unreachable' | 'noExecution' | 'timeout' | 'queryTimeout';
  values: Record<string, string | number>;
}

/** How a closed execution failed: the failure's own text, or a key of `saga.closeFailure` (`text` then its reason or error). */
export interface CloseFailure {
  key: 'failed' | 'terminated' | 'timedOut' | 'canceled' | 'unreadable';
  text: string | null;
}

export interface TemporalView {
  execution: { status: string; runId: string; startTime: string; closeTime: string | null; historyLength: number; taskQueue: string; failure: CloseFailure | null } | null;
  /** Why something is missing: Temporal slow, down, or without this execution. */
  note: TemporalNote | null;
}

type LedgerRecord = Awaited<ReturnType<ReturnType<typeof db>['ledgerEntry']['findMany']>>[number];

const STEP_OF_KIND: Record<string, string> = { charge: 'débiterAcheteur', transfer: 'virerVendeur', insurance: 'facturerAssurance' };
/** A journal entry's status as the console shows it: the ledger's words, "running" for pending. */
type EntryStatus = 'running' | 'succeeded' | 'failed';
const LEDGER_STATUS: Record<string, EntryStatus> = { succeeded: 'succeeded', failed: 'failed', pending: 'running' };

/** The journal rebuilt from the ledger, for a saga whose workflow cannot be asked (retention, Temporal down). */
export function journalFromLedger(orderId: string, ledger: LedgerRecord[]): { steps: StepView[]; compensations: CompensationView[] } {
  const compensationKeys = new Map(COMPENSATION_ACTIONS.map((a) => [compensationKey(a, orderId), a]));
  const steps: StepView[] = [];
  const compensations: CompensationView[] = [];
  for (const l of ledger) {
    const at = l.updatedAt.toISOString();
    if (STEP_OF_KIND[l.kind] && l.idempotencyKey === `${l.kind === 'charge' ? 'charge' : l.kind === 'transfer' ? 'transfert' : 'assurance'}-${orderId}`) {
      steps.push({ name: STEP_OF_KIND[l.kind]!, status: LEDGER_STATUS[l.status] ?? l.status, providerId: l.providerId, at, error: l.status === 'succeeded' ? null : l.error });
    }
    const action = compensationKeys.get(l.idempotencyKey);
    if (action) {
      compensations.push({ action, status: l.status === 'succeeded' ? 'succeeded' : 'failed', providerId: l.providerId, at, error: l.status === 'succeeded' ? null : l.error ?? l.status, retryBy: null });
    }
  }
  return { steps, compensations };
}

function journalFromSaga(j: JournalSaga): { steps: StepView[]; compensations: CompensationView[] } {
  return {
    steps: j.étapes.map((e: ÉtapeJournal) => ({ name: e.étape, status: sagaStatusFromWire[e.statut], providerId: e.idFournisseur ?? null, at: e.à, error: e.erreur ?? null })),
    compensations: j.compensations.map((c: CompensationJournal) => ({ action: c.action, status: sagaStatusFromWire[c.statut], providerId: c.idFournisseur ?? null, at: c.à, error: c.erreur ?? null, retryBy: null })),
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

async function temporalFacts(tenantId: string, workflowId: string): Promise<{ view: TemporalView; journal: JournalSaga | null; journalNote: TemporalNote | null }> {
  let client: Client;
  try {
    client = await temporal();
  } catch (error) {
    return { view: { execution: null, note: { key: 'unreachable', values: { error: message(error) } } }, journal: null, journalNote: null };
  }
  const within = <T>(fn: () => Promise<T>) => client.withDeadline(Date.now() + TEMPORAL_TIMEOUT_MS, fn);
  let d;
  try {
    d = await within(() => describeTenantWorkflow(client, tenantId, workflowId));
  } catch (error) {
    if (error instanceof Response && error.status === 404) {
      return { view: { execution: null, note: { key: 'noExecution', values: { workflowId } } }, journal: null, journalNote: null };
    }
    return { view: { execution: null, note: { key: 'timeout', values: { seconds: TEMPORAL_TIMEOUT_MS / 1000, error: message(error) } } }, journal: null, journalNote: null };
  }
  const closed = d.status.name !== 'RUNNING';
  const [failure, journal] = await Promise.all([
    closed && d.status.name !== 'COMPLETED' ? within(() => closeFailure(client, workflowId, d.runId)).catch((e: unknown): CloseFailure => ({ key: 'unreadable', text: message(e) })) : Promise.resolve(null),
    within(() => client.workflow.getHandle(workflowId).query(queryJournalSaga)).then(
      (j) => ({ j, note: null as TemporalNote | null }),
      (e: unknown) => ({ j: null, note: { key: 'queryTimeout', values: { query: queryJournalSaga.name, seconds: TEMPORAL_TIMEOUT_MS / 1000, error: message(e) } } as TemporalNote }),
    ),
  ]);
  return {
    view: {
      execution: {
        status: d.status.name,
        runId: d.runId,
        startTime: d.startTime.toISOString(),
        closeTime: d.closeTime?.toISOString() ?? null,
        historyLength: d.historyLength,
        taskQueue: d.taskQueue,
        failure,
      },
      note: null,
    },
    journal: journal.j,
    journalNote: journal.note,
  };
}

// temporal.api.enums.v1.HistoryEventFilterType: @temporalio/proto is CommonJS, so the console's ESM
// server bundle cannot import its named export at run time.
const HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT = 2;

/** The failure of a closed execution, from its close event alone. */
async function closeFailure(client: Client, workflowId: string, runId: string): Promise<CloseFailure | null> {
  const res = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    historyEventFilterType: HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
  });
  const e = res.history?.events?.[0];
  const failed = e?.workflowExecutionFailedEventAttributes?.failure;
  if (failed) return { key: 'failed', text: `${failed.applicationFailureInfo?.type ? `${failed.applicationFailureInfo.type}: ` : ''}${failed.message ?? ''}` };
  if (e?.workflowExecutionTerminatedEventAttributes) return { key: 'terminated', text: e.workflowExecutionTerminatedEventAttributes.reason || null };
  if (e?.workflowExecutionTimedOutEventAttributes) return { key: 'timedOut', text: null };
  if (e?.workflowExecutionCanceledEventAttributes) return { key: 'canceled', text: null };
  return null;
}

export async function getSagaDetail(tenantId: string, orderId: string) {
  const saga = await db().paymentSaga.findFirst({ where: { tenantId, orderId } });
  invariantResponse(saga, 'Not found', 404);
  const [ledger, incident, retries, refunds, position, t] = await Promise.all([
    db().ledgerEntry.findMany({ where: { tenantId, orderId }, orderBy: { id: 'asc' } }),
    db().financeIncident.findFirst({ where: { tenantId, orderId } }),
    db().compensationRetry.findMany({ where: { tenantId, orderId }, orderBy: { id: 'asc' } }),
    db().paymentRefund.findMany({ where: { tenantId, orderId }, orderBy: { createdAt: 'asc' } }),
    readChargePosition(db(), tenantId, orderId),
    temporalFacts(tenantId, saga.workflowId),
  ]);

  const recorded = saga.journal as JournalSaga | null;
  const source = t.journal ? 'workflow' : recorded?.étapes ? 'saga record' : 'ledger';
  const base = t.journal ? journalFromSaga(t.journal) : recorded?.étapes ? journalFromSaga(recorded) : journalFromLedger(orderId, ledger);
  const compensations: CompensationView[] = [
    ...base.compensations,
    ...retries.map((r) => ({
      action: r.action,
      status: LEDGER_STATUS[r.status] ?? r.status,
      providerId: r.providerId,
      at: (r.settledAt ?? r.createdAt).toISOString(),
      error: r.error,
      retryBy: r.requestedByEmail,
    })),
  ];
  const ledgerByKey = new Map(ledger.map((l) => [l.idempotencyKey, l]));
  // A failed compensation can be retried while its ledger row is not settled as done.
  const retryable = COMPENSATION_ACTIONS.filter((a) => {
    const row = ledgerByKey.get(compensationKey(a, orderId));
    return saga.status !== 'running' && row && row.status !== 'succeeded';
  });
  const allUndone = saga.status === 'compensation_incomplete' && retryable.length === 0;
  const refundReasons = new Map(refunds.map((r) => [r.idempotencyKey, r]));
  const assignee = incident?.assigneeId ? await db().staffUser.findUnique({ where: { id: incident.assigneeId }, select: { email: true, name: true } }) : null;

  return {
    saga: {
      orderId: saga.orderId,
      workflowId: saga.workflowId,
      buyerId: saga.buyerId,
      sellerId: saga.sellerId,
      totalCents: saga.totalCents,
      sellerCents: saga.sellerCents,
      commissionCents: saga.commissionCents,
      insuranceCents: saga.insuranceCents,
      status: saga.status,
      error: saga.error,
      chargeId: saga.chargeId,
      startedAt: saga.startedAt.toISOString(),
      endedAt: saga.endedAt?.toISOString() ?? null,
    },
    /** Every failed compensation was retried successfully since the saga ended. */
    compensatedAfterRetry: allUndone,
    journal: {
      source,
      note: t.journalNote,
      status: t.journal ? sagaStatusFromWire[t.journal.statut] : saga.status,
      steps: base.steps,
      compensations,
      retryable: retryable as CompensationAction[],
    },
    temporal: t.view,
    incident: incident && {
      id: incident.id,
      status: incident.status,
      severity: incident.severity,
      failedStep: incident.failedStep,
      originalError: incident.originalError,
      createdAt: incident.createdAt.toISOString(),
      assignee: assignee ? `${assignee.name} (${assignee.email})` : null,
    },
    ledger: ledger.map((l) => ({
      id: l.id.toString(),
      kind: l.kind,
      idempotencyKey: l.idempotencyKey,
      providerId: l.providerId,
      relatedProviderId: l.relatedProviderId,
      amountCents: l.amountCents,
      status: l.status,
      error: l.error,
      attempts: l.attempts,
      createdAt: l.createdAt.toISOString(),
      updatedAt: l.updatedAt.toISOString(),
    })),
    position: position satisfies ChargePosition | null,
    refunds: ledger
      .filter((l) => l.kind === 'refund')
      .map((l) => {
        const asked = refundReasons.get(l.idempotencyKey);
        return {
          key: l.idempotencyKey,
          refundId: asked?.id ?? null,
          amountCents: l.amountCents,
          status: l.status,
          providerId: l.providerId,
          error: l.error,
          at: l.updatedAt.toISOString(),
          origin: asked ? 'console' : l.idempotencyKey === compensationKey('rembourserAcheteur', orderId) ? 'saga' : 'other',
          reason: asked?.reason ?? null,
          by: asked?.requestedByEmail ?? null,
        };
      }),
  };
}
