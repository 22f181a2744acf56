import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActionRefused, INTERRUPTED_AFTER_MS, REFUSALS_LOGGED_PER_MINUTE, recordRefusal, resolveInterruptedActions, runAuditedAction } from './audited-action.server';
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

  it('records a refusal as refused, replays it, and refuses (and records) a key reused for another target', async () => {
    const tenant = uid('t');
    const key = randomUUID();
    const refused = await runAuditedAction(ctx(tenant), spec(key), async () => { throw new ActionRefused('closed', 409); });
    expect(refused).toMatchObject({ ok: false, error: 'closed', status: 409, replayed: false });
    const again = await runAuditedAction(ctx(tenant), spec(key), async () => ({ message: 'should not run' }));
    expect(again).toMatchObject({ ok: false, error: 'closed', replayed: true });
    const misuse = await runAuditedAction(ctx(tenant), spec(key, 'wf-2'), async () => ({ message: 'no' }));
    expect(misuse).toMatchObject({ ok: false, status: 422 });
    const audit = await db().auditLog.findMany({ where: { tenantId: tenant }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.outcome, a.targetId])).toEqual([['refused', 'wf-1'], ['refused', 'wf-2']]);
    expect(audit[1]!.detail).toMatchObject({ status: 422 });
  });

  it('lets the same key run again after a failure a retry can fix (5xx), with an audit row per attempt; never after a refusal', async () => {
    const tenant = uid('t');
    const key = randomUUID();
    let calls = 0;
    const failed = await runAuditedAction(ctx(tenant), spec(key), async () => { calls++; throw new Error('Temporal unavailable'); });
    expect(failed).toMatchObject({ ok: false, status: 502, replayed: false });
    const retried = await runAuditedAction(ctx(tenant), spec(key), async () => { calls++; return { message: 'terminated' }; });
    expect(retried).toMatchObject({ ok: true, result: { message: 'terminated' }, replayed: false });
    const again = await runAuditedAction(ctx(tenant), spec(key), async () => { calls++; return { message: 'twice' }; });
    expect(again).toMatchObject({ ok: true, result: { message: 'terminated' }, replayed: true });
    expect(calls).toBe(2);
    const audit = await db().auditLog.findMany({ where: { tenantId: tenant }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.outcome, a.idempotencyKey])).toEqual([['failed', key], ['ok', key]]);
    // The failed key is not another action's to take: the fingerprint still binds it.
    const otherKey = randomUUID();
    await runAuditedAction(ctx(tenant), spec(otherKey), async () => { throw new Error('down'); });
    const misuse = await runAuditedAction(ctx(tenant), spec(otherKey, 'wf-2'), async () => { calls++; return { message: 'no' }; });
    expect(misuse).toMatchObject({ ok: false, status: 422 });
    expect(calls).toBe(2);
  });

  it('keeps keys per tenant: the same key in another tenant is another action', async () => {
    const key = randomUUID();
    let calls = 0;
    const perform = async () => ({ n: ++calls });
    await runAuditedAction(ctx(uid('t')), spec(key), perform);
    await runAuditedAction(ctx(uid('t')), spec(key), perform);
    expect(calls).toBe(2);
  });

  it('writes the audit row before the effect: the effect sees its own pending row', async () => {
    const tenant = uid('t');
    const key = randomUUID();
    let seenDuringEffect: unknown[] = [];
    const outcome = await runAuditedAction(ctx(tenant), spec(key), async () => {
      seenDuringEffect = (await db().auditLog.findMany({ where: { tenantId: tenant } })).map((a) => [a.outcome, a.completedAt]);
      return { message: 'done' };
    });
    expect(outcome.ok).toBe(true);
    expect(seenDuringEffect).toEqual([['pending', null]]);
    const [row] = await db().auditLog.findMany({ where: { tenantId: tenant } });
    expect(row).toMatchObject({ outcome: 'ok', reason: 'test' });
    expect(row!.completedAt).toBeInstanceOf(Date);
  });

  it('refuses a reason or detail PostgreSQL cannot store with a 400: no effect, no claim, no row', async () => {
    const tenant = uid('t');
    let calls = 0;
    const perform = async () => { calls++; return { message: 'done' }; };
    const nul = await runAuditedAction(ctx(tenant), { ...spec(randomUUID()), reason: 'stop\u0000now' }, perform);
    expect(nul).toMatchObject({ ok: false, status: 400, error: 'reason: contains a control character (U+0000)' });
    const surrogate = await runAuditedAction(ctx(tenant), { ...spec(randomUUID()), detail: { args: [{ fonctionnalité: 'x\ud800' }] } }, perform);
    expect(surrogate).toMatchObject({ ok: false, status: 400 });
    expect(calls).toBe(0);
    expect(await db().auditLog.count({ where: { tenantId: tenant } })).toBe(0);
    expect(await db().idempotencyRecord.count({ where: { tenantId: tenant } })).toBe(0);
  });

  it('does nothing when its audit row cannot be written', async () => {
    const tenant = uid('t');
    const target = uid('fail-audit');
    // The database itself refuses this row, as it would if the audit write failed for any reason.
    await db().$executeRawUnsafe(`CREATE FUNCTION refuse_${target.replace(/-/g, '_')}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit write refused'; END; $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER refuse_${target.replace(/-/g, '_')} BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.target_id = '${target}') EXECUTE FUNCTION refuse_${target.replace(/-/g, '_')}()`);
    try {
      let calls = 0;
      const attempt = runAuditedAction(ctx(tenant), spec(randomUUID(), target), async () => { calls++; return { message: 'done' }; });
      await expect(attempt).rejects.toThrow(/audit write refused/);
      expect(calls).toBe(0);
      expect(await db().auditLog.count({ where: { tenantId: tenant } })).toBe(0);
      expect(await db().idempotencyRecord.count({ where: { tenantId: tenant } })).toBe(0);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER refuse_${target.replace(/-/g, '_')} ON audit_log`);
      await db().$executeRawUnsafe(`DROP FUNCTION refuse_${target.replace(/-/g, '_')}()`);
    }
  });

  it('completes the row even when the result cannot be stored, so an effect that happened is never silent', async () => {
    const tenant = uid('t');
    const key = randomUUID();
    let calls = 0;
    // jsonb refuses U+0000: a provider message carrying one could not be stored as the result.
    const outcome = await runAuditedAction(ctx(tenant), spec(key), async () => { calls++; return { message: 'done \u0000 by the provider' }; });
    expect(outcome.ok).toBe(true);
    expect(calls).toBe(1);
    const rows = await db().auditLog.findMany({ where: { tenantId: tenant } });
    expect(rows.map((r) => r.outcome)).toEqual(['ok']);
    const rec = await db().idempotencyRecord.findUniqueOrThrow({ where: { tenantId_key: { tenantId: tenant, key } } });
    expect(rec.status).toBe('done');
    expect(JSON.stringify(rec.result)).toMatch(/could not be recorded/);
    // The replay answers from the record and does not act again.
    expect(await runAuditedAction(ctx(tenant), spec(key), async () => { calls++; return { message: 'again' }; })).toMatchObject({ ok: true, replayed: true });
    expect(calls).toBe(1);
  });

  it('resolves a claim whose request died as interrupted, visibly, and never runs it again', async () => {
    const tenant = uid('t');
    const key = randomUUID();
    const c = ctx(tenant);
    // What a request killed between its claim and its completion leaves behind.
    const old = new Date(Date.now() - INTERRUPTED_AFTER_MS - 1000);
    const row = await db().auditLog.create({ data: { tenantId: tenant, actorId: c.userId, actorEmail: c.email, action: 'terminate', targetType: 'workflow', targetId: 'wf-1', reason: 'test', outcome: 'pending', idempotencyKey: key, createdAt: old } });
    await db().$executeRaw`INSERT INTO idempotency_records (tenant_id, key, action, status, result, created_at)
      VALUES (${tenant}, ${key}, 'terminate', 'pending', ${JSON.stringify({ fingerprint: 'terminate|workflow|wf-1', auditId: String(row.id) })}::jsonb, ${old})`;
    let calls = 0;
    const outcome = await runAuditedAction(c, spec(key), async () => { calls++; return { message: 'done' }; });
    expect(outcome).toMatchObject({ ok: false, status: 409, error: expect.stringMatching(/^Interrupted/) });
    expect(calls).toBe(0);
    expect((await db().auditLog.findUniqueOrThrow({ where: { id: row.id } })).outcome).toBe('interrupted');
    expect(await resolveInterruptedActions(tenant)).toBe(0);
  });

  it('keeps the log append-only: a completed row cannot change, a pending row only gets its outcome', async () => {
    const tenant = uid('t');
    await runAuditedAction(ctx(tenant), spec(randomUUID()), async () => ({ message: 'done' }));
    const [done] = await db().auditLog.findMany({ where: { tenantId: tenant } });
    await expect(db().auditLog.update({ where: { id: done!.id }, data: { outcome: 'failed', completedAt: new Date() } })).rejects.toThrow(/append-only/);
    const c = ctx(tenant);
    const pending = await db().auditLog.create({ data: { tenantId: tenant, actorId: c.userId, actorEmail: c.email, action: 'x', targetType: 't', targetId: 'a', outcome: 'pending' } });
    await expect(db().auditLog.update({ where: { id: pending.id }, data: { outcome: 'ok', completedAt: new Date(), reason: 'rewritten' } })).rejects.toThrow(/append-only/);
    await expect(db().auditLog.delete({ where: { id: pending.id } })).rejects.toThrow(/append-only/);
    await db().auditLog.update({ where: { id: pending.id }, data: { outcome: 'ok', completedAt: new Date() } });
  });

  it('logs refused attempts within a budget per person and minute, then answers 429 without writing', async () => {
    const tenant = uid('t');
    const c = ctx(tenant);
    for (let i = 0; i < REFUSALS_LOGGED_PER_MINUTE + 5; i++) {
      await recordRefusal(c, { action: 'terminate:workflow', targetType: 'route', targetId: `/t/${tenant}/x` }, 403, 'no');
    }
    expect(await db().auditLog.count({ where: { tenantId: tenant, outcome: 'refused' } })).toBe(REFUSALS_LOGGED_PER_MINUTE);
    let calls = 0;
    const outcome = await runAuditedAction(c, spec(randomUUID()), async () => { calls++; return { message: 'done' }; });
    expect(outcome).toMatchObject({ ok: false, status: 429 });
    expect(calls).toBe(0);
    expect(await db().auditLog.count({ where: { tenantId: tenant } })).toBe(REFUSALS_LOGGED_PER_MINUTE);
    // Another person of the tenant is not held back by it.
    const other = tenantContext('oncall', { tenant });
    expect((await runAuditedAction(other, spec(randomUUID()), async () => ({ message: 'done' }))).ok).toBe(true);
  });
});
