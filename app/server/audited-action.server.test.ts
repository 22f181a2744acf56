import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActionRefused, runAuditedAction } from './audited-action.server';
import { db } from './db.server';
import { tenantContext, uid } from '../../test-support/factories';

const ctx = (tenantId: string) => tenantContext('oncall', { tenant: tenantId });
const spec = (key: string, targetId = 'wf-1') => ({ action: 'terminate', targetType: 'workflow', targetId, idempotencyKey: key, reason: 'test' });

describe('runAuditedAction', () => {
  it('runs once for two concurrent requests with the same key, and both get the same answer', async () => {
    const tenant = uid('t');
    const key = randomUUID();
    let calls = 0;
    const perform = async () => { calls++; await new Promise((r) => setTimeout(r, 300)); return { message: 'done' }; };
    const [a, b] = await Promise.all([runAuditedAction(ctx(tenant), spec(key), perform), runAuditedAction(ctx(tenant), spec(key), perform)]);
    expect(calls).toBe(1);
    expect(a).toMatchObject({ ok: true, result: { message: 'done' } });
    expect(b).toMatchObject({ ok: true, result: { message: 'done' } });
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const audit = await db().auditLog.findMany({ where: { tenantId: tenant } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'terminate', targetId: 'wf-1', outcome: 'ok', reason: 'test', idempotencyKey: key });
  });

  it('records a refusal as failed, replays it, and refuses a key reused for another target', async () => {
    const tenant = uid('t');
    const key = randomUUID();
    const refused = await runAuditedAction(ctx(tenant), spec(key), async () => { throw new ActionRefused('closed', 409); });
    expect(refused).toMatchObject({ ok: false, error: 'closed', status: 409, replayed: false });
    const again = await runAuditedAction(ctx(tenant), spec(key), async () => ({ message: 'should not run' }));
    expect(again).toMatchObject({ ok: false, error: 'closed', replayed: true });
    const misuse = await runAuditedAction(ctx(tenant), spec(key, 'wf-2'), async () => ({ message: 'no' }));
    expect(misuse).toMatchObject({ ok: false, status: 422 });
    const audit = await db().auditLog.findMany({ where: { tenantId: tenant } });
    expect(audit.map((a) => a.outcome)).toEqual(['failed']);
  });

  it('keeps keys per tenant: the same key in another tenant is another action', async () => {
    const key = randomUUID();
    let calls = 0;
    const perform = async () => ({ n: ++calls });
    await runAuditedAction(ctx(uid('t')), spec(key), perform);
    await runAuditedAction(ctx(uid('t')), spec(key), perform);
    expect(calls).toBe(2);
  });
});
