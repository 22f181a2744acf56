// Sales alerts into PostgreSQL (sales_alerts), the queue the console shows the sales team.
// One alert per idempotency key; faults from provider_faults (operation "sales.alert").
import type { Db } from '../prisma/db';
import { consumeFault, pause } from './faults';
import type { SalesAlert, SalesAlerter } from './sales-alerter';

export class LocalSalesAlerter implements SalesAlerter {
  constructor(private readonly db: Db) {}

  async alert(a: SalesAlert): Promise<{ id: string }> {
    const fault = await consumeFault(this.db, 'sales.alert', [a.idempotencyKey, a.email]);
    if (fault?.mode === 'timeout') throw new Error('sales.alert: no answer (injected timeout)');
    if (fault?.mode === 'delay') await pause(fault.delayMs);
    const rows = await this.db.$queryRaw<Array<{ id: bigint }>>`
      INSERT INTO sales_alerts (idempotency_key, tenant_id, workflow_id, user_id, email, reason)
      VALUES (${a.idempotencyKey}, ${a.tenantId}, ${a.workflowId}, ${a.utilisateurId}, ${a.email}, ${a.raison})
      ON CONFLICT (idempotency_key) DO UPDATE SET request_count = sales_alerts.request_count + 1
      RETURNING id`;
    return { id: String(rows[0]!.id) };
  }
}
