import { createHash, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTenantContext, testDb } from '../../test-support/factories';
import { apiKeyIdFor, createApiKey, revokeApiKey, verifyApiKey } from './api-keys.server';
import type { TenantContext } from '../server/auth.server';
import { db } from '../server/db.server';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const idem = () => `test-${randomUUID()}`;

async function adminOfNewTenant(): Promise<TenantContext> {
  return (await makeTenantContext('admin', { tenantName: 'Keys' })).ctx;
}

async function newKey(ctx: TenantContext, name = 'storefront') {
  const idempotencyKey = idem();
  const { outcome, rawKey } = await createApiKey(ctx, { name, idempotencyKey });
  if (!outcome.ok || !rawKey) throw new Error(`key not created: ${JSON.stringify(outcome)}`);
  return { rawKey, keyId: outcome.result.keyId, idempotencyKey };
}

afterAll(async () => {
  await db().$disconnect();
  await testDb().$disconnect();
});

describe('API keys', () => {
  it('creates a key shown once, stored only as its sha256, with a prefix telling keys apart', async () => {
    const ctx = await adminOfNewTenant();
    const { rawKey, keyId, idempotencyKey } = await newKey(ctx);
    expect(rawKey).toMatch(new RegExp(`^vk_${ctx.tenantId}_[A-Za-z0-9_-]{43}$`));

    const row = await db().apiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(row).toMatchObject({ tenantId: ctx.tenantId, name: 'storefront', keyHash: sha256(rawKey), revokedAt: null, lastUsedAt: null });
    expect(row.prefix).toBe(rawKey.slice(0, `vk_${ctx.tenantId}_`.length + 8));
    const second = await newKey(ctx, 'other');
    const secondRow = await db().apiKey.findUniqueOrThrow({ where: { id: second.keyId } });
    expect(secondRow.prefix).not.toBe(row.prefix);

    // The secret part appears nowhere at rest: not in the key row, the idempotency record or the audit log.
    const secret = rawKey.slice(-43);
    const record = await db().idempotencyRecord.findUniqueOrThrow({ where: { tenantId_key: { tenantId: ctx.tenantId, key: idempotencyKey } } });
    const audit = await db().auditLog.findFirstOrThrow({ where: { tenantId: ctx.tenantId, idempotencyKey } });
    for (const stored of [row, record, audit]) {
      expect(JSON.stringify(stored, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(secret);
    }
    expect(audit).toMatchObject({ action: 'apikey:create', targetType: 'api_key', targetId: keyId, outcome: 'ok', actorEmail: ctx.email });
  });

  it('a replayed create makes no second key and does not show the key again', async () => {
    const ctx = await adminOfNewTenant();
    const idempotencyKey = idem();
    const first = await createApiKey(ctx, { name: 'ci', idempotencyKey });
    const again = await createApiKey(ctx, { name: 'ci', idempotencyKey });
    expect(first.rawKey).toBeTruthy();
    expect(again.rawKey).toBeNull();
    expect(again.outcome).toMatchObject({ ok: true, replayed: true });
    expect(again.outcome.ok && again.outcome.result.message).toMatch(/shown only then/);
    expect(await db().apiKey.count({ where: { tenantId: ctx.tenantId } })).toBe(1);
    expect(apiKeyIdFor(ctx.tenantId, idempotencyKey)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('verifies a key to its tenant and refuses unknown, altered and malformed keys', async () => {
    const ctx = await adminOfNewTenant();
    const { rawKey, keyId } = await newKey(ctx);
    expect(await verifyApiKey(rawKey)).toEqual({ tenantId: ctx.tenantId, keyId });

    const lastChar = rawKey.at(-1) === 'A' ? 'B' : 'A';
    expect(await verifyApiKey(rawKey.slice(0, -1) + lastChar)).toBeNull();
    expect(await verifyApiKey(rawKey.slice(0, -1))).toBeNull();
    expect(await verifyApiKey(`vk_${ctx.tenantId}_${'x'.repeat(43)}`)).toBeNull();
    expect(await verifyApiKey('')).toBeNull();
    expect(await verifyApiKey(`${rawKey}${'a'.repeat(500)}`)).toBeNull();
    // The stored hash is not a key: knowing it from a database dump does not authenticate.
    expect(await verifyApiKey(sha256(rawKey))).toBeNull();
  });

  it('records last use at most once a minute', async () => {
    const ctx = await adminOfNewTenant();
    const { rawKey, keyId } = await newKey(ctx);
    await verifyApiKey(rawKey);
    const first = (await db().apiKey.findUniqueOrThrow({ where: { id: keyId } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);

    const recent = new Date(Date.now() - 30_000);
    await db().apiKey.update({ where: { id: keyId }, data: { lastUsedAt: recent } });
    await verifyApiKey(rawKey);
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: keyId } })).lastUsedAt).toEqual(recent);

    const old = new Date(Date.now() - 120_000);
    await db().apiKey.update({ where: { id: keyId }, data: { lastUsedAt: old } });
    await verifyApiKey(rawKey);
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: keyId } })).lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 5_000);
  });

  it('a revoked key is refused; revoking is audited with its reason and happens once', async () => {
    const ctx = await adminOfNewTenant();
    const { rawKey, keyId } = await newKey(ctx);
    const outcome = await revokeApiKey(ctx, { keyId, reason: 'leaked in a CI log', idempotencyKey: idem() });
    expect(outcome).toMatchObject({ ok: true });
    expect(await verifyApiKey(rawKey)).toBeNull();
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: keyId } })).revokedAt).toBeInstanceOf(Date);
    expect(await db().auditLog.findFirst({ where: { tenantId: ctx.tenantId, action: 'apikey:revoke' } })).toMatchObject({
      targetId: keyId, reason: 'leaked in a CI log', outcome: 'ok',
    });

    const again = await revokeApiKey(ctx, { keyId, reason: 'twice', idempotencyKey: idem() });
    expect(again).toMatchObject({ ok: false, status: 409 });
    expect(!again.ok && again.error).toMatch(/already revoked/);
  });

  it("an admin cannot revoke another tenant's key", async () => {
    const mine = await adminOfNewTenant();
    const theirs = await adminOfNewTenant();
    const { rawKey, keyId } = await newKey(theirs);
    const outcome = await revokeApiKey(mine, { keyId, reason: 'not mine', idempotencyKey: idem() });
    expect(outcome).toMatchObject({ ok: false, status: 404 });
    expect(await verifyApiKey(rawKey)).toEqual({ tenantId: theirs.tenantId, keyId });
  });
});
