// The tenant dashboard's numbers: checkouts and kanban from PostgreSQL, trials and sagas from
// Temporal visibility. Every count is scoped to the staff member's tenant on the server.
import type { Client } from '@temporalio/client';
import { STATUTS_SAGA } from '../../temporal/workflows/payment.contract';
import { tenantQuery, visibilityLiteral } from '../../temporal/search-attributes';
import { countCheckoutsByState, paymentErrorCodes, stuckWhere } from './checkouts.server';
import { db } from '../server/db.server';
import { DEFAULT_STUCK_SECONDS } from '../ingest/labels';
import { saveErrorsPerHour } from './kanban-errors.server';
import { temporal } from '../server/temporal.server';
import { ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE, PHASES } from '../workflows/labels';

export const SAGA_STATUSES = STATUTS_SAGA;

/**
 * Counts per value of a Keyword search attribute. GROUP BY on a custom attribute needs a
 * recent server with SQL or Elasticsearch visibility; older ones only group by
 * ExecutionStatus, so then it counts value by value (a handful of calls).
 */
export async function countGroupedBy(client: Client, tenantId: string, filter: string, attribute: string, values: readonly string[]) {
  const out: Record<string, number> = Object.fromEntries(values.map((v) => [v, 0]));
  try {
    const res = await client.workflow.count(`${tenantQuery(tenantId, filter)} GROUP BY ${attribute}`);
    for (const g of res.groups) {
      const raw = g.groupValues[0];
      const value = String(Array.isArray(raw) ? raw[0] : raw ?? '');
      out[value || '(none)'] = (out[value || '(none)'] ?? 0) + g.count;
    }
  } catch {
    await Promise.all(
      values.map(async (v) => {
        const { count } = await client.workflow.count(tenantQuery(tenantId, `${filter} AND ${attribute} = ${visibilityLiteral(v)}`));
        out[v] = count;
      }),
    );
  }
  return out;
}

async function temporalCounts(tenantId: string) {
  try {
    const client = await temporal();
    const [trials, sagas] = await Promise.all([
      countGroupedBy(client, tenantId, `WorkflowType = '${ONBOARDING_WORKFLOW_TYPE}'`, 'OnboardingPhase', PHASES),
      countGroupedBy(client, tenantId, `WorkflowType = '${PAYMENT_WORKFLOW_TYPE}'`, 'SagaStatus', SAGA_STATUSES),
    ]);
    return { ok: true as const, trials, sagas };
  } catch (error) {
    // The PostgreSQL half of the dashboard is still worth showing when Temporal is down.
    return { ok: false as const, error: (error as Error).message.split('\n')[0] };
  }
}

export async function dashboardNumbers(tenantId: string) {
  const dayAgo = new Date(Date.now() - 86_400_000);
  const [checkouts, stuck, errorCodes, saveErrors, workflows] = await Promise.all([
    countCheckoutsByState(tenantId),
    db().checkoutSession.count({ where: { tenantId, ...stuckWhere(DEFAULT_STUCK_SECONDS) } }),
    paymentErrorCodes(tenantId, dayAgo),
    saveErrorsPerHour(tenantId, 24),
    temporalCounts(tenantId),
  ]);
  return { checkouts, stuck, errorCodes, saveErrors, workflows };
}
