// Every mutating console action goes through here: it runs at most once per idempotency
// key (a double click, a resubmitted form or two agents racing produce one effect), and its
// audit row is written *before* the effect (outcome "pending", in the same transaction as the
// key's claim) and completed after it. An audit write can therefore never be what fails after
// the effect: either nothing happened, or a row says who asked for what. A claim whose request
// died mid-way is resolved as "interrupted" by the next request with the same key, or by the
// sweep (resolveInterruptedActions), and stays visible as such in the log.
import { json } from '@remix-run/node';
import { serverT } from '../i18n/server-t.server';
import { translateKnown } from '../i18n/known-message';
import { z } from 'zod';
import type { Prisma } from '../../prisma/db';
import { db } from './db.server';
import { jsonProblem, scrubText } from './hygiene.server';
import type { TenantContext } from './auth.server';
import { currentRequestId } from '../../ops/log/request-id.js';
import { log } from './log.server';

export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'idempotencyKey must be 8–100 letters, digits, - or _');

export interface ActionSpec {
  action: string; // e.g. "signal:fonctionnalitéActivée", "terminate", "apikey:create"
  targetType: string;
  targetId: string;
  reason?: string | null;
  idempotencyKey: string;
  detail?: Record<string, unknown>;
}

export type ActionOutcome<T> =
  | { ok: true; result: T; replayed: boolean }
  | { ok: false; error: string; status: number; replayed: boolean };

/** An error whose message is safe and useful to show the operator (a 4xx, not a bug). */
export class ActionRefused extends Error {
  constructor(message: string, public status = 409) {
    super(message);
  }
}

interface StoredResult { ok: boolean; result?: unknown; error?: string; status?: number; fingerprint: string; auditId?: string; retryable?: boolean }

/**
 * Whether a failure may be asked again with the same idempotency key: a 5xx (the effect's
 * service failed or did not answer), never a refusal (the target's state, the input, a role).
 * A retryable failure releases its key: the next request with it runs the action again, with an
 * audit row of its own; any other outcome is answered as recorded.
 */
export const isRetryableStatus = (status: number) => status >= 500;

/** A claim still pending after this long belongs to a request that died: nothing answers it any more. */
export const INTERRUPTED_AFTER_MS = 5 * 60_000;
/** Refused attempts recorded per staff member and tenant per minute; beyond, they are answered but not logged. */
export const REFUSALS_LOGGED_PER_MINUTE = 30;

const fingerprintOf = (s: ActionSpec) => `${s.action}|${s.targetType}|${s.targetId}`;

/** A thrown Response (404/403 from a check) is a refusal like any other. */
async function asError(thrown: unknown): Promise<unknown> {
  if (!(thrown instanceof Response)) return thrown;
  const body = (await thrown.clone().json().catch(() => null)) as { error?: string } | null;
  return new ActionRefused(body?.error ?? thrown.statusText, thrown.status);
}

export async function runAuditedAction<T>(ctx: TenantContext, spec: ActionSpec, perform: () => Promise<T>): Promise<ActionOutcome<T>> {
  // What goes into the audit row must be storable, or the row could not be written: a 400, nothing done.
  const dirty = jsonProblem({ reason: spec.reason ?? null, target: spec.targetId, detail: spec.detail ?? null }, 'action');
  if (dirty) return { ok: false, error: `${dirty.path.replace(/^action\.(detail\.)?/, '')}: ${dirty.problem}`, status: 400, replayed: false };
  if (await refusalsOverBudget(ctx)) {
    return { ok: false, error: serverT(ctx.language, 'common')('answer.tooManyRefusals'), status: 429, replayed: false };
  }
  const fingerprint = fingerprintOf(spec);
  const auditId = await claim(ctx, spec, fingerprint);
  if (auditId === null) return replay<T>(ctx, spec, fingerprint);

  let stored: StoredResult;
  let outcome: ActionOutcome<T>;
  try {
    const result = await perform();
    stored = { ok: true, result, fingerprint, auditId: String(auditId) };
    outcome = { ok: true, result, replayed: false };
  } catch (thrown) {
    const error = await asError(thrown);
    const refused = error instanceof ActionRefused;
    if (!refused) log().error({ err: error, tenantId: ctx.tenantId, action: spec.action, targetType: spec.targetType, targetId: spec.targetId }, 'action failed');
    const t = serverT(ctx.language, 'common');
    const message = refused ? translateKnown(t, error.message) : t('answer.failed', { error: (error as Error).message.split('\n')[0] });
    const status = refused ? error.status : 502;
    stored = { ok: false, error: message, status, fingerprint, auditId: String(auditId), retryable: isRetryableStatus(status) };
    outcome = { ok: false, error: message, status, replayed: false };
  }
  await complete(ctx, spec, auditId, stored);
  log().info(
    { tenantId: ctx.tenantId, actor: ctx.email, action: spec.action, targetType: spec.targetType, targetId: spec.targetId, outcome: outcomeOf(stored), auditId: String(auditId), ...(stored.ok ? {} : { error: stored.error }) },
    'action',
  );
  return outcome;
}

/** The key's claim and the pending audit row, together or not at all; null when the key was taken. */
async function claim(ctx: TenantContext, spec: ActionSpec, fingerprint: string): Promise<bigint | null> {
  return db().$transaction(async (tx) => {
    // A new key, or the same action's key whose last attempt failed in a way a retry can fix.
    const claimed = await tx.$executeRaw`
      INSERT INTO idempotency_records (tenant_id, key, action, status, result)
      VALUES (${ctx.tenantId}, ${spec.idempotencyKey}, ${spec.action}, 'pending', ${JSON.stringify({ fingerprint })}::jsonb)
      ON CONFLICT (tenant_id, key) DO UPDATE SET status = 'pending', result = EXCLUDED.result, created_at = now()
        WHERE idempotency_records.status = 'failed'
          AND idempotency_records.result->>'retryable' = 'true'
          AND idempotency_records.result->>'fingerprint' = ${fingerprint}`;
    if (claimed === 0) return null;
    const row = await tx.auditLog.create({
      data: {
        requestId: currentRequestId(),
        tenantId: ctx.tenantId,
        actorId: ctx.userId,
        actorEmail: ctx.email,
        action: spec.action,
        targetType: spec.targetType,
        targetId: spec.targetId,
        reason: spec.reason ?? null,
        outcome: 'pending',
        detail: (spec.detail ?? {}) as Prisma.InputJsonValue,
        idempotencyKey: spec.idempotencyKey,
      },
      select: { id: true },
    });
    await tx.idempotencyRecord.update({
      where: { tenantId_key: { tenantId: ctx.tenantId, key: spec.idempotencyKey } },
      data: { result: { fingerprint, auditId: String(row.id) } },
    });
    return row.id;
  });
}

const outcomeOf = (stored: StoredResult) => (stored.ok ? 'ok' : (stored.status ?? 500) < 500 ? 'refused' : 'failed');

/**
 * The outcome onto the claim and the pending row. A result that cannot be stored (it holds text
 * PostgreSQL refuses…) is replaced by a note, so the row still gets its outcome; if even that
 * fails (the database went away), the row stays pending, visible, until the sweep resolves it.
 */
async function complete(ctx: TenantContext, spec: ActionSpec, auditId: bigint, stored: StoredResult) {
  const write = (s: StoredResult) =>
    db().$transaction([
      db().idempotencyRecord.update({
        where: { tenantId_key: { tenantId: ctx.tenantId, key: spec.idempotencyKey } },
        data: { status: s.ok ? 'done' : 'failed', result: s as unknown as Prisma.InputJsonValue },
      }),
      db().auditLog.update({
        where: { id: auditId },
        data: {
          outcome: outcomeOf(s),
          completedAt: new Date(),
          detail: { ...(spec.detail ?? {}), ...(s.ok ? {} : { error: s.error }) } as Prisma.InputJsonValue,
        },
      }),
    ]);
  try {
    await write(stored);
  } catch (error) {
    log().error({ err: error, tenantId: ctx.tenantId, action: spec.action, targetId: spec.targetId, auditId: String(auditId) }, 'action outcome could not be recorded in full');
    const note = `the result could not be recorded: ${(error as Error).message.split('\n')[0].slice(0, 200)}`;
    const minimal: StoredResult = stored.ok
      ? { ok: true, result: { message: `Done; ${note}` }, fingerprint: stored.fingerprint, auditId: stored.auditId }
      : { ok: false, error: scrubText(stored.error ?? 'failed'), status: stored.status, fingerprint: stored.fingerprint, auditId: stored.auditId };
    await write(minimal).catch((again) => log().error({ err: again, tenantId: ctx.tenantId, action: spec.action, targetId: spec.targetId }, 'action left pending in the audit log'));
  }
}

/** The same key again: wait briefly for the first request to finish, then answer as it did. */
async function replay<T>(ctx: TenantContext, spec: ActionSpec, fingerprint: string): Promise<ActionOutcome<T>> {
  for (let i = 0; i < 50; i++) {
    const rec = await db().idempotencyRecord.findUnique({ where: { tenantId_key: { tenantId: ctx.tenantId, key: spec.idempotencyKey } } });
    const stored = rec?.result as StoredResult | null;
    if (stored?.fingerprint !== fingerprint) {
      const error = serverT(ctx.language, 'common')('answer.keyReused');
      await recordRefusal(ctx, spec, 422, error);
      return { ok: false, error, status: 422, replayed: true };
    }
    if (rec && rec.status !== 'pending') {
      return stored.ok
        ? { ok: true, result: stored.result as T, replayed: true }
        : { ok: false, error: stored.error ?? 'failed', status: stored.status ?? 409, replayed: true };
    }
    if (rec && Date.now() - rec.createdAt.getTime() > INTERRUPTED_AFTER_MS) {
      await resolveInterruptedActions(ctx.tenantId, spec.idempotencyKey);
      continue;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const error = serverT(ctx.language, 'common')('answer.stillProcessing');
  await recordRefusal(ctx, spec, 409, error);
  return { ok: false, error, status: 409, replayed: true };
}

const INTERRUPTED =
  'Interrupted: the request stopped before its outcome was recorded. Check the target’s state before asking again with a new request.';

/**
 * Claims left pending longer than INTERRUPTED_AFTER_MS (their request died between the claim and
 * the completion): each becomes "failed" with an explanation, its audit row "interrupted". Run by
 * a repeated key and by the audit page, so the log never shows a claim pending for ever.
 */
export async function resolveInterruptedActions(tenantId: string, key?: string): Promise<number> {
  const cutoff = new Date(Date.now() - INTERRUPTED_AFTER_MS);
  return db().$transaction(async (tx) => {
    const stale = await tx.$queryRaw<Array<{ key: string; audit_id: string | null }>>`
      UPDATE idempotency_records
         SET status = 'failed',
             result = result || jsonb_build_object('ok', false, 'status', 409, 'error', ${INTERRUPTED}::text)
       WHERE tenant_id = ${tenantId} AND status = 'pending' AND created_at < ${cutoff}
         AND (${key ?? null}::text IS NULL OR key = ${key ?? null}::text)
      RETURNING key, result->>'auditId' AS audit_id`;
    const ids = stale.map((s) => s.audit_id).filter((id): id is string => Boolean(id)).map((id) => BigInt(id));
    if (ids.length > 0) {
      await tx.auditLog.updateMany({
        where: { id: { in: ids }, outcome: 'pending' },
        data: { outcome: 'interrupted', completedAt: new Date() },
      });
    }
    return stale.length;
  });
}

async function refusalsOverBudget(ctx: TenantContext): Promise<boolean> {
  const recent = await db().auditLog.count({
    where: { tenantId: ctx.tenantId, actorId: ctx.userId, outcome: 'refused', createdAt: { gte: new Date(Date.now() - 60_000) } },
  });
  return recent >= REFUSALS_LOGGED_PER_MINUTE;
}

/**
 * A refused attempt that never reached its action (403 on the role, 404 on another tenant's id,
 * a key reused or still running) is logged as "refused", within a budget per person per minute
 * so that a script cannot flood the log; beyond it the refusal is answered all the same.
 */
export async function recordRefusal(
  ctx: Pick<TenantContext, 'tenantId' | 'userId' | 'email'> & { language?: TenantContext['language'] },
  attempt: { action: string; targetType: string; targetId: string; reason?: string | null; idempotencyKey?: string | null; detail?: Record<string, unknown> },
  status: number,
  error: string,
) {
  try {
    if (await refusalsOverBudget(ctx as TenantContext)) return;
    const dirty = jsonProblem({ attempt, error });
    const clean = (v: string | null | undefined) => (v == null ? null : dirty ? scrubText(v) : v);
    await db().auditLog.create({
      data: {
        requestId: currentRequestId(),
        tenantId: ctx.tenantId,
        actorId: ctx.userId,
        actorEmail: ctx.email,
        action: attempt.action,
        targetType: attempt.targetType,
        targetId: clean(attempt.targetId)!.slice(0, 500),
        reason: clean(attempt.reason)?.slice(0, 500) ?? null,
        outcome: 'refused',
        detail: { status, error: clean(error), ...(dirty ? {} : (attempt.detail ?? {})) } as Prisma.InputJsonValue,
        idempotencyKey: clean(attempt.idempotencyKey)?.slice(0, 100) ?? null,
        completedAt: new Date(),
      },
    });
  } catch (e) {
    // The refusal is answered whatever happens here: logging it must not turn a 4xx into a 500.
    log().error({ err: e }, 'could not record a refused attempt');
  }
}

/**
 * The JSON answer of an action route. `extra` joins the result of a success — for what is shown
 * once and never stored for replays (a new API key, an invitation link); `headers` go on the
 * answer either way (e.g. Cache-Control: no-store beside such a secret).
 */
export function actionResponse<T, X extends Record<string, unknown> = Record<never, never>>(
  outcome: ActionOutcome<T>,
  { extra, headers }: { extra?: X | null; headers?: HeadersInit } = {},
) {
  return outcome.ok
    ? json({ ok: true as const, result: (extra ? { ...outcome.result, ...extra } : outcome.result) as T & Partial<X>, replayed: outcome.replayed }, { headers })
    : json({ ok: false as const, error: outcome.error, replayed: outcome.replayed }, { status: outcome.status, headers });
}

/**
 * Another tenant's (or no) target: the 404 an attacker and a typo both get, recorded as a
 * refused attempt (within the budget) before it is thrown.
 */
export async function refuseMissingTarget(
  ctx: Pick<TenantContext, 'tenantId' | 'userId' | 'email'> & { language?: TenantContext['language'] },
  attempt: { action: string; targetType: string; targetId: string; reason?: string | null; idempotencyKey?: string | null },
): Promise<never> {
  const error = serverT(ctx.language, 'common')('answer.notFound');
  await recordRefusal(ctx, attempt, 404, error);
  throw json({ ok: false, error }, { status: 404 });
}
