// `npm start -- --reset-demo`: the demo tenants start over. Their workflows are deleted from
// Temporal (a running one is terminated first), then their rows in PostgreSQL, and the rows of
// the local payment provider and mailer that belong to them (by order id, trial workflow id or
// trial user address). Tenants, staff, memberships and sessions stay; so do the audit log and
// the incidents' timelines, which are append-only evidence (PostgreSQL refuses to delete them).
import type { Client } from '@temporalio/client';
import type { Db } from '../../prisma/db';
import { DEMO_TENANTS } from '../../prisma/demo-data';
import { tenantQuery } from '../../temporal/search-attributes';
import { inPool } from './demo-workflows';

export const DEMO_TENANT_IDS: string[] = DEMO_TENANTS.map((t) => t.id);

/** Tables with a tenant_id whose demo rows a reset deletes (audit_log and finance_incident_events are append-only). */
const TENANT_TABLES = [
  'trial_accounts', 'email_deliveries', 'sales_alerts', 'trial_users',
  'payment_sagas', 'ledger_entries', 'finance_incidents', 'payment_refunds', 'compensation_retries', 'reconciliation_marks',
  'checkout_sessions', 'checkout_transitions', 'kanban_save_errors',
  'idempotency_records', 'saved_views', 'staff_invitations', 'api_keys',
] as const;

const GRPC_NOT_FOUND = 5;
const notFound = (error: unknown) => (error as { code?: number }).code === GRPC_NOT_FOUND || (error as Error).name === 'WorkflowNotFoundError';

/**
 * Deletes every workflow of the tenants and, unless told not to, waits until Temporal no longer
 * has any of them: a new start of the same id is refused until then. The dev server removes a
 * closed workflow about half a minute after it is asked to (a running one is terminated and
 * removed at once).
 */
export async function deleteTenantWorkflows(client: Client, tenants: string[], opts: { concurrency?: number; timeoutMs?: number; wait?: boolean } = {}): Promise<number> {
  const runs: Array<{ workflowId: string; runId: string }> = [];
  for (const tenantId of tenants) {
    for await (const w of client.workflow.list({ query: tenantQuery(tenantId), pageSize: 1000 })) runs.push({ workflowId: w.workflowId, runId: w.runId });
  }
  const namespace = client.options.namespace;
  await inPool(runs, opts.concurrency ?? 16, async (execution) => {
    // Terminates a running execution, then removes it and its history.
    await client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: execution }).catch((error: unknown) => {
      if (!notFound(error)) throw error;
    });
  });
  if (opts.wait === false) return runs.length;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let left = runs;
  while (left.length > 0) {
    const still: typeof runs = [];
    await inPool(left, opts.concurrency ?? 16, async (execution) => {
      const gone = await client.workflow.getHandle(execution.workflowId, execution.runId).describe().then(() => false, (error: unknown) => notFound(error));
      if (!gone) still.push(execution);
    });
    left = still;
    if (left.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${left.length} demo workflow(s) still not deleted after ${(opts.timeoutMs ?? 120_000) / 1000} s (e.g. ${left[0]!.workflowId})`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return runs.length;
}

/**
 * Deletes the tenants' rows, in one transaction. `extra` names orders, trial workflows and
 * addresses of the demo plan whose faults may be armed with nothing else recorded yet.
 */
export async function deleteTenantRows(db: Db, tenants: string[], extra: { orderIds?: string[]; workflowIds?: string[]; emails?: string[] } = {}): Promise<number> {
  return db.$transaction(async (tx) => {
    const orders = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT order_id AS id FROM payment_sagas WHERE tenant_id = ANY(${tenants})
      UNION SELECT order_id FROM ledger_entries WHERE tenant_id = ANY(${tenants})
      UNION SELECT order_id FROM finance_incidents WHERE tenant_id = ANY(${tenants})
      UNION SELECT order_id FROM payment_refunds WHERE tenant_id = ANY(${tenants})`;
    const trials = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT workflow_id AS id FROM trial_accounts WHERE tenant_id = ANY(${tenants})
      UNION SELECT workflow_id FROM email_deliveries WHERE tenant_id = ANY(${tenants})
      UNION SELECT 'onboarding-' || id FROM trial_users WHERE tenant_id = ANY(${tenants})`;
    const addresses = await tx.$queryRaw<Array<{ email: string }>>`
      SELECT email FROM trial_users WHERE tenant_id = ANY(${tenants}) UNION SELECT email FROM trial_accounts WHERE tenant_id = ANY(${tenants})`;
    const orderIds = [...new Set([...orders.map((o) => o.id), ...(extra.orderIds ?? [])])];
    const workflowIds = [...new Set([...trials.map((t) => t.id), ...(extra.workflowIds ?? [])])];
    const emails = [...new Set([...addresses.map((a) => a.email), ...(extra.emails ?? [])])];

    let deleted = 0;
    deleted += await tx.$executeRaw`
      DELETE FROM provider_faults WHERE target = ANY(${orderIds}) OR target = ANY(${emails}) OR split_part(target, ':', 1) = ANY(${workflowIds})`;
    const objects = await tx.$queryRaw<Array<{ id: string }>>`
      DELETE FROM provider_objects WHERE order_id = ANY(${orderIds}) OR split_part(idempotency_key, ':', 1) = ANY(${workflowIds}) RETURNING id`;
    deleted += objects.length;
    // The provider mirror's copies of them and the events that made those, so a demo object made
    // again under its fixed id (the orphan transfer) is mirrored again.
    const objectIds = objects.map((o) => o.id);
    deleted += await tx.$executeRaw`
      DELETE FROM mirror_events WHERE payload->'data'->'object'->>'id' = ANY(${objectIds}) OR payload->'data'->'object'->>'id' IN (SELECT id FROM mirror_objects WHERE tenant_id = ANY(${tenants}))`;
    deleted += await tx.$executeRaw`
      DELETE FROM mirror_objects WHERE tenant_id = ANY(${tenants}) OR order_id = ANY(${orderIds}) OR id = ANY(${objectIds})`;
    deleted += await tx.$executeRaw`
      DELETE FROM local_mail_messages WHERE recipient = ANY(${emails}) OR split_part(idempotency_key, ':', 1) = ANY(${workflowIds})`;
    for (const table of TENANT_TABLES) {
      // Table names come from the constant list above, never from input.
      deleted += await tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE tenant_id = ANY($1)`, tenants);
    }
    return deleted;
  }, { timeout: 60_000 });
}
