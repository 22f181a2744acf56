// Business gauges per tenant for /metrics and the on-call alerts (ops/prometheus/alerts.yml):
// sagas by status, open incidents by severity, checkouts stuck in payment, kanban save errors of
// the last minutes, email deliveries of the last hour, and from Temporal: workflows by status,
// workflows stuck on a failing activity, and whether anything polls the task queue. Label values
// are English (saga statuses are stored in English, finance/saga-status.ts).
import client from 'prom-client';
// @temporalio/proto is CommonJS: a default import works under both Node ESM and bundlers.
import protoPkg from '@temporalio/proto';
import { SAGA_STATUSES } from '../../finance/saga-status';
import { db } from '../server/db.server';
import { env } from '../server/env.server';
import { registry } from '../server/metrics.server';
import { temporal } from '../server/temporal.server';
import { DEFAULT_STUCK_SECONDS } from '../ingest/labels';
import { stuckWhere } from './checkouts.server';
import { tenantQuery } from '../../temporal/search-attributes';

/** How long one computation of the gauges is reused: scrapes closer together share it. */
const CACHE_MS = 10_000;
/** A running workflow whose pending activity has failed this many attempts counts as stuck. */
export const STUCK_ATTEMPTS = 3;

const sagaStatus = (status: string) => ((SAGA_STATUSES as readonly string[]).includes(status) ? status : 'unknown');

export interface BusinessNumbers {
  sagas: Array<{ tenant: string; status: string; n: number }>;
  incidents: Array<{ tenant: string; severity: string; n: number }>;
  stuckCheckouts: Array<{ tenant: string; n: number }>;
  kanbanErrors: Array<{ tenant: string; n: number }>;
  emails: Array<{ tenant: string; status: string; n: number }>;
  workflows: Array<{ tenant: string; status: string; n: number }>;
  stuckWorkflows: Array<{ tenant: string; n: number }>;
  pollers: number | null;
}

export async function businessNumbers(): Promise<BusinessNumbers> {
  const tenants = (await db().tenant.findMany({ select: { id: true } })).map((t) => t.id);
  const hourAgo = new Date(Date.now() - 3_600_000);
  const [sagas, incidents, stuckCheckouts, kanbanErrors, emails] = await Promise.all([
    db().paymentSaga.groupBy({ by: ['tenantId', 'status'], _count: { _all: true } }),
    db().financeIncident.groupBy({ by: ['tenantId', 'severity'], where: { status: { not: 'resolved' } }, _count: { _all: true } }),
    Promise.all(tenants.map(async (tenant) => ({ tenant, n: await db().checkoutSession.count({ where: { tenantId: tenant, state: 'traitementPaiement', ...stuckWhere(DEFAULT_STUCK_SECONDS) } }) }))),
    db().kanbanSaveError.groupBy({ by: ['tenantId'], where: { at: { gte: new Date(Date.now() - 5 * 60_000) } }, _count: { _all: true } }),
    db().emailDelivery.groupBy({ by: ['tenantId', 'status'], where: { updatedAt: { gte: hourAgo } }, _count: { _all: true } }),
  ]);
  const fromTemporal = await temporalNumbers(tenants).catch(() => ({ workflows: [], stuckWorkflows: [], pollers: null }));
  return {
    sagas: sagas.map((r) => ({ tenant: r.tenantId, status: sagaStatus(r.status), n: r._count._all })),
    incidents: incidents.map((r) => ({ tenant: r.tenantId, severity: r.severity, n: r._count._all })),
    stuckCheckouts,
    kanbanErrors: kanbanErrors.map((r) => ({ tenant: r.tenantId, n: r._count._all })),
    emails: emails.map((r) => ({ tenant: r.tenantId, status: r.status, n: r._count._all })),
    ...fromTemporal,
  };
}

async function temporalNumbers(tenants: string[]) {
  const c = await temporal();
  const workflows = (
    await Promise.all(
      tenants.map(async (tenant) => {
        const res = await c.workflow.count(`${tenantQuery(tenant)} GROUP BY ExecutionStatus`);
        return res.groups.map((gr) => ({ tenant, status: String(gr.groupValues[0] ?? 'unknown').toLowerCase(), n: gr.count }));
      }),
    )
  ).flat();
  const stuckWorkflows = await Promise.all(
    tenants.map(async (tenant) => {
      // The visibility store does not index pending activities: describe the running ones (bounded).
      let n = 0;
      let scanned = 0;
      for await (const w of c.workflow.list({ query: tenantQuery(tenant, "ExecutionStatus = 'Running'") })) {
        if (++scanned > 200) break;
        const d = await c.workflow.getHandle(w.workflowId, w.runId).describe();
        if ((d.raw.pendingActivities ?? []).some((a) => (a.attempt ?? 0) >= STUCK_ATTEMPTS)) n += 1;
      }
      return { tenant, n };
    }),
  );
  const res = await c.workflowService.describeTaskQueue({
    namespace: c.options.namespace,
    taskQueue: { name: env().TEMPORAL_TASK_QUEUE, kind: protoPkg.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: protoPkg.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const pollers = res.pollers?.length ?? 0;
  return { workflows, stuckWorkflows, pollers };
}

let cached: { at: number; value: Promise<BusinessNumbers> } | null = null;
function numbers(): Promise<BusinessNumbers> {
  if (!cached || Date.now() - cached.at > CACHE_MS) {
    const value = businessNumbers();
    cached = { at: Date.now(), value };
    value.catch(() => { cached = null; });
  }
  return cached.value;
}

/** Forget the cached numbers (tests that change data and scrape again). */
export function forgetBusinessNumbers() {
  cached = null;
}

const gauges = globalThis as unknown as { __vigieBusinessGauges?: boolean };

/** Registers the business gauges once per process; each is filled at scrape time. */
export function registerBusinessMetrics() {
  if (gauges.__vigieBusinessGauges) return;
  gauges.__vigieBusinessGauges = true;
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (n: BusinessNumbers, set: (labels: Record<L, string>, v: number) => void) => void) =>
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        fill(await numbers(), (labels, v) => this.set(labels, v));
      },
    });
  gauge('vigie_sagas', 'Payment sagas by tenant and status (running, succeeded, compensated, compensation_incomplete, failed).', ['tenant', 'status'] as const, (n, set) => n.sagas.forEach((r) => set({ tenant: r.tenant, status: r.status }, r.n)));
  gauge('vigie_finance_incidents_open', 'Finance incidents not resolved, by tenant and severity.', ['tenant', 'severity'] as const, (n, set) => n.incidents.forEach((r) => set({ tenant: r.tenant, severity: r.severity }, r.n)));
  gauge('vigie_checkouts_stuck_in_payment', 'Checkout sessions in traitementPaiement longer than the stuck threshold.', ['tenant'] as const, (n, set) => n.stuckCheckouts.forEach((r) => set({ tenant: r.tenant }, r.n)));
  gauge('vigie_kanban_save_errors_5m', 'Kanban save errors reported in the last 5 minutes.', ['tenant'] as const, (n, set) => n.kanbanErrors.forEach((r) => set({ tenant: r.tenant }, r.n)));
  gauge('vigie_email_deliveries_1h', 'Onboarding emails by status (sent, failed, sending) updated in the last hour.', ['tenant', 'status'] as const, (n, set) => n.emails.forEach((r) => set({ tenant: r.tenant, status: r.status }, r.n)));
  gauge('vigie_workflows', 'Temporal workflows by tenant and execution status.', ['tenant', 'status'] as const, (n, set) => n.workflows.forEach((r) => set({ tenant: r.tenant, status: r.status }, r.n)));
  gauge('vigie_workflows_stuck', `Running workflows with a pending activity at attempt ${STUCK_ATTEMPTS} or more.`, ['tenant'] as const, (n, set) => n.stuckWorkflows.forEach((r) => set({ tenant: r.tenant }, r.n)));
  gauge('vigie_task_queue_pollers', 'Workers polling the workflow task queue (absent when Temporal does not answer).', [] as const, (n, set) => { if (n.pollers !== null) set({}, n.pollers); });
}
