// The chaos run's verdict: every promise of Vigie counted exactly, from what Temporal, PostgreSQL,
// the provider stand-in and the mail outbox hold after the run — one row per check, with what was
// expected, what was found, and the first offenders by name.
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { Db } from '../../prisma/db';
import { TEMPLATES } from '../../ports/email-templates';
import { consoleRefundKey } from '../../finance/refunds';
import { SAGA_KEYS } from '../../finance/saga-keys';
import { SAGA_PAIEMENT_ÉCHOUÉE } from '../../temporal/workflows/failure-types';
import { emailIdempotencyKey, signalAbonnementSouscrit, type RésultatOnboarding } from '../../temporal/workflows/onboarding.contract';
import { SAGA_KINDS, type ChaosPlan, type SagaKind, type SagaPlan, type TrialKind } from './chaos-plan';

/** What the run's own faults leave as a step's last error: a timed-out attempt, a connection cut under a query. */
const INFRASTRUCTURE_FAILURE = /^TimeoutFailure|57P01|terminating connection|Connection terminated/;

export interface ChaosRow {
  check: string;
  expected: string;
  actual: string;
  ok: boolean;
  /** The first offenders, by name, for a failed check. */
  problems: string[];
}

export interface ConsoleActionRecord {
  name: string;
  /** Every idempotency key sent, with the answer it finally got (0: none). */
  keys: Array<{ key: string; status: number; body: string }>;
  ok: boolean;
  /** For a money action: what it did to which order. */
  money?: { op: 'refund' | 'retry-compensation'; orderId: string };
}

export interface ChaosFacts {
  plan: ChaosPlan;
  db: Db;
  client: Client;
  tenantId: string;
  faults: { kills: number; wantedKills: number; temporalRestarts: number; crashes: string[]; consoleAlive: boolean };
  connectionCut: {
    workerConnections: number;
    consoleConnections: number;
    workerAliveAndWorking: boolean;
    healthStatus: number;
    pageStatus: number;
  } | null;
  consoleActions: ConsoleActionRecord[];
  errors: string[];
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

interface Closed {
  status: string;
  result?: unknown;
  failureType?: string;
  failureStatut?: string;
  events: HistoryEvent[];
}

const num = (v: unknown) => Number(String(v ?? 0));

async function closedAs(client: Client, workflowId: string): Promise<Closed> {
  const handle = client.workflow.getHandle(workflowId);
  const status = (await handle.describe()).status.name;
  const events = (await handle.fetchHistory()).events ?? [];
  if (status === 'COMPLETED') return { status, result: await handle.result(), events };
  if (status !== 'FAILED') return { status, events };
  const error = await handle.result().then(() => undefined, (e: unknown) => e);
  const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
  const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as { statut?: string } | undefined) : undefined;
  return { status, failureType: cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined, failureStatut: details?.statut, events };
}

/** Runs `fn` over `items`, `width` at a time. */
async function mapLimited<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

/** Emails scheduled by a workflow task that had already seen the subscription: the seed's J+14 double-send. */
function emailsScheduledAfterSubscription(events: HistoryEvent[]): number {
  const signal = events.find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === signalAbonnementSouscrit.name);
  if (!signal) return 0;
  const startedOf = new Map<number, number>();
  for (const e of events) {
    const done = e.workflowTaskCompletedEventAttributes;
    if (done) startedOf.set(num(e.eventId), num(done.startedEventId));
  }
  return events.filter((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    return a?.activityType?.name === 'envoyerEmail' && (startedOf.get(num(a.workflowTaskCompletedEventId)) ?? 0) > num(signal.eventId);
  }).length;
}

function row(check: string, expected: string | number, actual: string | number, ok: boolean, problems: string[] = []): ChaosRow {
  return { check, expected: String(expected), actual: String(actual), ok, problems: problems.slice(0, 5) };
}

/** A count of items that pass, against all of them. */
function tally<T>(check: string, items: T[], verdict: (item: T) => string | null): ChaosRow {
  const problems = items.map(verdict).filter((p): p is string => p !== null);
  return row(check, items.length, items.length - problems.length, problems.length === 0, problems);
}

const TRIAL_EXPECTATION: Record<TrialKind, string> = {
  plain: 'expired, all 6 emails',
  activated: 'expired',
  subscribed: 'converted',
  terminated: 'terminated by the console',
};

const SAGA_EXPECTATION: Record<SagaKind, string> = {
  success: 'succeeded, no incident',
  decline: 'failed, nothing charged, no incident',
  invalid_seller: 'refunded, incident open',
  provider_timeout: 'failed, charge in doubt, incident open',
  lost_ack: 'succeeded, one charge, one transfer',
  failing_compensation: 'compensation incomplete, high incident',
};

export async function checkChaos(f: ChaosFacts): Promise<ChaosRow[]> {
  const { plan, db, client } = f;
  const rows: ChaosRow[] = [];
  const closed = new Map<string, Closed>();
  const ids = [...plan.trials.map((t) => t.workflowId), ...plan.sagas.map((s) => s.workflowId)];
  for (const [i, c] of (await mapLimited(ids, 16, (id) => closedAs(client, id))).entries()) closed.set(ids[i]!, c);

  // ——— Trials: outcome per kind, then the emails ———
  for (const kind of ['plain', 'activated', 'subscribed', 'terminated'] as const) {
    const trials = plan.trials.filter((t) => t.kind === kind);
    if (!trials.length) continue;
    rows.push(tally(`trials ${kind}: ${TRIAL_EXPECTATION[kind]}`, trials, (t) => {
      const c = closed.get(t.workflowId)!;
      const r = c.result as RésultatOnboarding | undefined;
      const ok = kind === 'terminated' ? c.status === 'TERMINATED'
        : c.status === 'COMPLETED' && r?.issue === (kind === 'subscribed' ? 'converti' : 'expiré')
          && (kind !== 'plain' || JSON.stringify(r.emailsEnvoyés) === JSON.stringify(TEMPLATES));
      return ok ? null : `${t.workflowId}: ${c.status} ${JSON.stringify(r ?? null)}`;
    }));
  }

  const workflowIds = plan.trials.map((t) => t.workflowId);
  const deliveries = await db.emailDelivery.findMany({ where: { workflowId: { in: workflowIds } } });
  const deliveryByKey = new Map(deliveries.map((d) => [d.idempotencyKey, d]));
  const messages = await db.localMailMessage.findMany({
    where: { OR: [{ recipient: { in: plan.trials.map((t) => t.email) } }, { idempotencyKey: { in: deliveries.map((d) => d.idempotencyKey) } }] },
  });
  const messageByKey = new Map(messages.map((m) => [m.idempotencyKey ?? m.id, m]));
  // What each trial was meant to receive: its result's list; a terminated trial, what it recorded as sent.
  const expectedKeys = new Set<string>();
  for (const t of plan.trials) {
    const r = closed.get(t.workflowId)!.result as RésultatOnboarding | undefined;
    const sent = r ? r.emailsEnvoyés : deliveries.filter((d) => d.workflowId === t.workflowId && d.status === 'sent').map((d) => d.template);
    for (const template of sent) expectedKeys.add(emailIdempotencyKey(t.workflowId, template));
  }
  const keys = [...expectedKeys];
  rows.push(tally('emails: one message per <workflowId>:<template>', keys, (k) => (messageByKey.has(k) ? null : `${k}: no message`)));
  const terminated = new Set(plan.trials.filter((t) => t.kind === 'terminated').map((t) => t.workflowId));
  const strays = messages.filter((m) => !expectedKeys.has(m.idempotencyKey ?? '')
    // A trial terminated while an email was at the provider may leave that one message, recorded as being sent.
    && !(terminated.has(deliveryByKey.get(m.idempotencyKey ?? '')?.workflowId ?? '') && deliveryByKey.get(m.idempotencyKey ?? '')?.status === 'sending'));
  rows.push(row('emails: messages beyond those (doubled or stray)', 0, strays.length, strays.length === 0, strays.map((m) => `${m.idempotencyKey} to ${m.recipient}`)));
  rows.push(tally('emails: delivery recorded as sent', keys, (k) => (deliveryByKey.get(k)?.status === 'sent' ? null : `${k}: ${deliveryByKey.get(k)?.status ?? 'no row'}`)));
  // The provider asked once, unless an attempt was retried (a kill, a lost answer): then it kept one message.
  rows.push(tally('emails: request_count 1, or ≤ attempts after a retry', keys, (k) => {
    const m = messageByKey.get(k);
    const attempts = deliveryByKey.get(k)?.attempts ?? 0;
    return !m || m.requestCount === 1 || (attempts > 1 && m.requestCount <= attempts) ? null : `${k}: asked ${m.requestCount} times in ${attempts} attempts`;
  }));
  const retried = keys.filter((k) => (messageByKey.get(k)?.requestCount ?? 0) > 1).length;
  rows.push(row('emails asked again after a retry, one message kept', 'info', retried, true));
  const subscribed = plan.trials.filter((t) => t.kind === 'subscribed');
  const late = subscribed.map((t) => [t.workflowId, emailsScheduledAfterSubscription(closed.get(t.workflowId)!.events)] as const).filter(([, n]) => n > 0);
  rows.push(row('emails scheduled after a subscription', 0, late.reduce((a, [, n]) => a + n, 0), late.length === 0, late.map(([id, n]) => `${id}: ${n}`)));
  const alerts = await db.salesAlert.groupBy({ by: ['workflowId'], where: { workflowId: { in: workflowIds } }, _count: true });
  const alertCount = new Map(alerts.map((a) => [a.workflowId, a._count]));
  rows.push(tally('sales alerts: one per never-activated trial, never two', plan.trials, (t) => {
    const n = alertCount.get(t.workflowId) ?? 0;
    return (t.kind === 'plain' ? n === 1 : n <= 1) ? null : `${t.workflowId} (${t.kind}): ${n}`;
  }));

  // ——— Sagas: outcome per fault kind, then the money ———
  const orderIds = plan.sagas.map((s) => s.orderId);
  const [sagaRows, incidents, objects, ledger] = await Promise.all([
    db.paymentSaga.findMany({ where: { orderId: { in: orderIds } } }),
    db.financeIncident.findMany({ where: { orderId: { in: orderIds } } }),
    db.providerObject.findMany({ where: { orderId: { in: orderIds } } }),
    db.ledgerEntry.findMany({ where: { orderId: { in: orderIds } } }),
  ]);
  const sagaOf = new Map(sagaRows.map((s) => [s.orderId, s]));
  const incidentsOf = (orderId: string) => incidents.filter((i) => i.orderId === orderId);
  const openIncident = (orderId: string) => incidentsOf(orderId).some((i) => i.status === 'open');
  const succeeded = (orderId: string, kind: string) => objects.filter((o) => o.orderId === orderId && o.kind === kind && o.status === 'succeeded');
  /**
   * A step whose every attempt was lost to the run's own faults (a kill, the server restart, a cut
   * connection each cost the activities in flight one attempt) ends as the saga promises when money
   * may have moved: in doubt, with an open incident and its ledger row pending. Counted apart.
   */
  const inDoubt = (s: SagaPlan) => {
    const incident = incidentsOf(s.orderId);
    return closed.get(s.workflowId)!.status === 'FAILED' && incident.length === 1 && incident[0]!.status === 'open'
      && INFRASTRUCTURE_FAILURE.test(incident[0]!.originalError);
  };
  const doubtful = plan.sagas.filter((s) => s.kind !== 'provider_timeout' && inDoubt(s));
  for (const kind of SAGA_KINDS) {
    const sagas = plan.sagas.filter((s) => s.kind === kind);
    if (!sagas.length) continue;
    rows.push(tally(`sagas ${kind}: ${SAGA_EXPECTATION[kind]} (or in doubt)`, sagas, (s) => {
      if (kind !== 'provider_timeout' && inDoubt(s)) return null;
      const c = closed.get(s.workflowId)!;
      const saga = sagaOf.get(s.orderId);
      const incident = incidentsOf(s.orderId);
      const failed = (statut: string) => c.status === 'FAILED' && c.failureType === SAGA_PAIEMENT_ÉCHOUÉE && c.failureStatut === statut;
      const ok = {
        success: c.status === 'COMPLETED' && saga?.status === 'succeeded' && incident.length === 0,
        lost_ack: c.status === 'COMPLETED' && saga?.status === 'succeeded' && incident.length === 0
          && objects.filter((o) => o.orderId === s.orderId && (o.kind === 'charge' || o.kind === 'transfer')).length === 2,
        decline: failed('échouée') && saga?.status === 'failed' && incident.length === 0 && succeeded(s.orderId, 'charge').length === 0,
        invalid_seller: failed('compensée') && saga?.status === 'compensated' && incident.length === 1 && succeeded(s.orderId, 'refund').length === 1,
        provider_timeout: failed('échouée') && saga?.status === 'failed' && incident.length === 1 && incident[0]!.status === 'open',
        failing_compensation: failed('compensation_incomplète') && saga?.status === 'compensation_incomplete' && incident.length === 1 && incident[0]!.severity === 'high',
      }[kind];
      return ok ? null : `${s.orderId}: ${c.status} ${c.failureStatut ?? ''} saga ${saga?.status} incidents ${incident.map((i) => `${i.severity}/${i.status}`).join(',') || 'none'}`;
    }));
  }

  rows.push(row('sagas in doubt: every attempt of a step lost to kills, restart or cut (incident open)', 'info', doubtful.length, true,
    doubtful.map((s) => `${s.orderId} (${s.kind}): ${incidentsOf(s.orderId)[0]!.failedStep} — ${incidentsOf(s.orderId)[0]!.originalError.slice(0, 120)}`)));

  const sum = (list: Array<{ amountCents: number | null }>) => list.reduce((a, o) => a + (o.amountCents ?? 0), 0);
  rows.push(tally('sagas: done, compensated, or an open incident', plan.sagas, (s) => {
    const status = sagaOf.get(s.orderId)?.status;
    const settled = status === 'succeeded' || status === 'compensated' || (status === 'failed' && succeeded(s.orderId, 'charge').length === 0);
    return settled || openIncident(s.orderId) ? null : `${s.orderId}: ${status}, no open incident`;
  }));
  const charges = objects.filter((o) => o.kind === 'charge' && o.status === 'succeeded');
  rows.push(tally('charges: each with its transfer or its refund, or an open incident', charges, (c) => {
    const transferred = objects.some((o) => o.kind === 'transfer' && o.status === 'succeeded' && o.sourceId === c.id) && sagaOf.get(c.orderId!)?.status === 'succeeded';
    const refunded = sum(objects.filter((o) => o.kind === 'refund' && o.status === 'succeeded' && o.sourceId === c.id)) === c.amountCents;
    return transferred || refunded || openIncident(c.orderId!) ? null : `${c.orderId}: charge ${c.id} neither transferred nor refunded`;
  }));
  rows.push(tally('orders charged at most once', plan.sagas, (s) => (objects.filter((o) => o.orderId === s.orderId && o.kind === 'charge').length <= 1 ? null : `${s.orderId}: several charges`)));
  rows.push(tally('refunds within the captured amount (provider and ledger)', charges, (c) => {
    const atProvider = sum(objects.filter((o) => o.kind === 'refund' && o.status === 'succeeded' && o.sourceId === c.id));
    const inLedger = sum(ledger.filter((l) => l.kind === 'refund' && l.status === 'succeeded' && l.orderId === c.orderId));
    return atProvider <= (c.amountCents ?? 0) && inLedger <= (c.amountCents ?? 0) ? null : `${c.orderId}: ${atProvider}/${inLedger} refunded of ${c.amountCents}`;
  }));
  const ledgerByKey = new Map(ledger.map((l) => [l.idempotencyKey, l]));
  const objectByKey = new Map(objects.map((o) => [o.idempotencyKey, o]));
  const moved = objects.filter((o) => o.status === 'succeeded');
  rows.push(tally('provider movements in the ledger (succeeded, or pending under an open incident)', moved, (o) => {
    const l = ledgerByKey.get(o.idempotencyKey);
    const recorded = l?.status === 'succeeded' && l.providerId === o.id && l.amountCents === o.amountCents;
    return recorded || (l?.status === 'pending' && openIncident(o.orderId!)) ? null : `${o.idempotencyKey}: ledger ${l?.status ?? 'missing'} ${l?.providerId ?? ''}`;
  }));
  rows.push(tally('ledger entries settled, or in doubt under an open incident', ledger, (l) => {
    const o = objectByKey.get(l.idempotencyKey);
    const agrees = l.status === 'succeeded' ? o?.status === 'succeeded' && o.id === l.providerId : l.status === 'failed' ? o?.status !== 'succeeded' : openIncident(l.orderId);
    return agrees ? null : `${l.idempotencyKey}: ledger ${l.status}, provider ${o?.status ?? 'nothing'}`;
  }));

  // ——— Console actions ———
  const allKeys = f.consoleActions.flatMap((a) => a.keys.map((k) => k.key));
  const [audit, claims] = await Promise.all([
    db.auditLog.findMany({ where: { tenantId: f.tenantId, idempotencyKey: { in: allKeys } } }),
    db.idempotencyRecord.findMany({ where: { tenantId: f.tenantId, key: { in: allKeys } } }),
  ]);
  const claimOf = new Map(claims.map((c) => [c.key, (c.result as { auditId?: string } | null)?.auditId ?? null]));
  rows.push(tally('console actions done (answer and audit row ok)', f.consoleActions, (a) => {
    const last = a.keys.at(-1);
    const own = audit.find((r) => String(r.id) === claimOf.get(last?.key ?? ''));
    return a.ok && own?.outcome === 'ok' ? null : `${a.name}: ${last?.status} ${last?.body ?? ''} audit ${own?.outcome ?? 'missing'}`;
  }));
  // One row written by the action itself per key; a repeat of the key only adds "refused" replays.
  rows.push(tally('console actions: one audit row per idempotency key', allKeys, (k) => {
    const own = audit.filter((r) => r.idempotencyKey === k && String(r.id) === claimOf.get(k));
    const others = audit.filter((r) => r.idempotencyKey === k && String(r.id) !== claimOf.get(k) && r.outcome !== 'refused');
    return own.length === 1 && others.length === 0 ? null : `${k}: ${own.length} own row(s), ${others.length} other(s)`;
  }));
  rows.push(tally('console money actions at the provider', f.consoleActions.filter((a) => a.money), (a) => {
    const { op, orderId } = a.money!;
    const refundKeys = a.keys.map((k) => consoleRefundKey(orderId, k.key));
    const done = op === 'refund'
      ? objects.filter((o) => refundKeys.includes(o.idempotencyKey) && o.status === 'succeeded' && o.amountCents === 2_500).length === 1
      : objectByKey.get(SAGA_KEYS.transfer_reversal(orderId))?.status === 'succeeded';
    return done ? null : `${orderId}: ${op} not at the provider`;
  }));
  rows.push(row('scenario steps that could not be done', 0, f.errors.length, f.errors.length === 0, f.errors));

  // ——— The faults themselves, and the processes' survival ———
  const { faults, connectionCut: cut } = f;
  rows.push(row('worker SIGKILLs', `≥ ${faults.wantedKills}`, faults.kills, faults.kills >= faults.wantedKills));
  const multi = [...closed.values()].filter((c) => new Set(c.events.map((e) => e.workflowTaskStartedEventAttributes?.identity).filter(Boolean)).size > 1).length;
  rows.push(row('workflows worked on by several worker processes', '≥ 1', multi, multi >= 1));
  rows.push(row('Temporal dev server restarts', 1, faults.temporalRestarts, faults.temporalRestarts === 1));
  rows.push(row('worker connections terminated (pg_terminate_backend)', '≥ 1', cut?.workerConnections ?? 0, (cut?.workerConnections ?? 0) >= 1));
  rows.push(row('console connections terminated (pg_terminate_backend)', '≥ 1', cut?.consoleConnections ?? 0, (cut?.consoleConnections ?? 0) >= 1));
  rows.push(row('worker alive after the cut, closing workflows', 'yes', cut?.workerAliveAndWorking ? 'yes' : 'no', cut?.workerAliveAndWorking === true));
  rows.push(row('console /healthz after the cut', 200, cut?.healthStatus ?? 0, cut?.healthStatus === 200));
  rows.push(row('console page after the cut', 200, cut?.pageStatus ?? 0, cut?.pageStatus === 200));
  rows.push(row('worker exits not caused by a kill', 0, faults.crashes.length, faults.crashes.length === 0, faults.crashes));
  rows.push(row('console process alive at the end', 'yes', faults.consoleAlive ? 'yes' : 'no', faults.consoleAlive));
  return rows;
}
