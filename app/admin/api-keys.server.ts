// Per-tenant API keys for the ingestion API: created and revoked by a tenant admin,
// stored as a sha256 (the key itself is shown once and never kept), verified by hash lookup.
import { createHash, randomBytes } from 'node:crypto';
import { db } from '../server/db.server';
import type { TenantContext } from '../server/auth.server';
import { ActionRefused, runAuditedAction, type ActionOutcome } from '../server/audited-action.server';
import { serverT } from '../i18n/server-t.server';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// vk_<tenantId>_<32 random bytes in base64url, 43 characters>
const KEY_SHAPE = /^vk_([A-Za-z0-9_-]+)_([A-Za-z0-9_-]{43})$/;
// Longer inputs are refused before hashing: a tenant id is a short slug.
const MAX_KEY_LENGTH = 200;
// last_used_at is a hint for the admin, not a log: one write a minute per key is plenty.
const LAST_USED_RESOLUTION_MS = 60_000;
const DISPLAY_SECRET_CHARS = 8;

export interface NewApiKey {
  raw: string;
  keyHash: string;
  prefix: string;
}

/**
 * The prefix shown in the console is `vk_<tenantId>_` and the first 8 secret characters:
 * the key's first 12 characters alone would be the same for every key of most tenants.
 */
export function generateApiKey(tenantId: string): NewApiKey {
  const secret = randomBytes(32).toString('base64url');
  const raw = `vk_${tenantId}_${secret}`;
  return { raw, keyHash: sha256(raw), prefix: `vk_${tenantId}_${secret.slice(0, DISPLAY_SECRET_CHARS)}` };
}

/**
 * The key id derived from the request's idempotency key, so a replayed request names the
 * same target (runAuditedAction refuses a key reused for another target).
 */
export function apiKeyIdFor(tenantId: string, idempotencyKey: string): string {
  const h = createHash('sha256').update(`apikey:${tenantId}:${idempotencyKey}`).digest('hex');
  // UUID version 8 ("custom"), variant 10xx.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** For the ingestion API: the tenant a raw key belongs to, or null when unknown, malformed or revoked. */
export async function verifyApiKey(rawKey: string): Promise<{ tenantId: string; keyId: string } | null> {
  if (typeof rawKey !== 'string' || rawKey.length > MAX_KEY_LENGTH || !KEY_SHAPE.test(rawKey)) return null;
  const key = await db().apiKey.findUnique({ where: { keyHash: sha256(rawKey) } });
  if (!key || key.revokedAt) return null;
  const staleBefore = new Date(Date.now() - LAST_USED_RESOLUTION_MS);
  if (!key.lastUsedAt || key.lastUsedAt < staleBefore) {
    // Conditional, so concurrent requests with the same key write once between them.
    await db().apiKey.updateMany({
      where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: new Date() },
    });
  }
  return { tenantId: key.tenantId, keyId: key.id };
}

export async function listApiKeys(tenantId: string) {
  return db().apiKey.findMany({
    where: { tenantId },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export interface CreatedApiKey {
  message: string;
  keyId: string;
  prefix: string;
}

/**
 * Creates a key through runAuditedAction. The raw key is returned beside the outcome, never
 * inside it: the outcome is stored for replays, and the key must not be kept anywhere.
 * A replay therefore answers without the key.
 */
export async function createApiKey(
  ctx: TenantContext,
  input: { name: string; reason?: string | null; idempotencyKey: string },
): Promise<{ outcome: ActionOutcome<CreatedApiKey>; rawKey: string | null }> {
  const keyId = apiKeyIdFor(ctx.tenantId, input.idempotencyKey);
  const t = serverT(ctx.language, 'admin');
  let rawKey: string | null = null;
  const outcome = await runAuditedAction<CreatedApiKey>(
    ctx,
    { action: 'apikey:create', targetType: 'api_key', targetId: keyId, reason: input.reason, idempotencyKey: input.idempotencyKey, detail: { name: input.name } },
    async () => {
      const made = generateApiKey(ctx.tenantId);
      await db().apiKey.create({ data: { id: keyId, tenantId: ctx.tenantId, name: input.name, prefix: made.prefix, keyHash: made.keyHash } });
      rawKey = made.raw;
      return { message: t('apiKeys.created', { name: input.name }), keyId, prefix: made.prefix };
    },
  );
  if (outcome.ok && outcome.replayed) {
    outcome.result = { ...outcome.result, message: t('apiKeys.createdReplay', { name: input.name }) };
  }
  return { outcome, rawKey };
}

export async function revokeApiKey(ctx: TenantContext, input: { keyId: string; reason: string; idempotencyKey: string }) {
  const t = serverT(ctx.language, 'admin');
  return runAuditedAction(
    ctx,
    { action: 'apikey:revoke', targetType: 'api_key', targetId: input.keyId, reason: input.reason, idempotencyKey: input.idempotencyKey },
    async () => {
      const key = await db().apiKey.findFirst({ where: { id: input.keyId, tenantId: ctx.tenantId } });
      if (!key) throw new ActionRefused(t('apiKeys.noSuchKey'), 404);
      const { count } = await db().apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: new Date() } });
      if (count === 0) throw new ActionRefused(t('apiKeys.alreadyRevoked', { name: key.name }), 409);
      return { message: t('apiKeys.revoked', { name: key.name }) };
    },
  );
}
