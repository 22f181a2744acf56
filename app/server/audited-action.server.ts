// Every mutating console action goes through here: it runs at most once per idempotency
// key (a double click, a resubmitted form or two agents racing produce one effect) and
// leaves an append-only audit row whatever the outcome.
import { json } from '@remix-run/node';
import { z } from 'zod';
import type { Prisma } from '../../prisma/db';
import { db } from './db.server';
import type { TenantContext } from './auth.server';

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

interface StoredResult { ok: boolean; result?: unknown; error?: string; status?: number; fingerprint: string }

const fingerprintOf = (s: ActionSpec) => `${s.action}|${s.targetType}|${s.targetId}`;

export async function runAuditedAction<T>(ctx: TenantContext, spec: ActionSpec, perform: () => Promise<T>): Promise<ActionOutcome<T>> {
  const fingerprint = fingerprintOf(spec);
  const claimed = await db().$executeRaw`
    INSERT INTO idempotency_records (tenant_id, key, action, status, result)
    VALUES (${ctx.tenantId}, ${spec.idempotencyKey}, ${spec.action}, 'pending', ${JSON.stringify({ fingerprint })}::jsonb)
    ON CONFLICT (tenant_id, key) DO NOTHING`;
  if (claimed === 0) return replay<T>(ctx.tenantId, spec, fingerprint);

  let stored: StoredResult;
  let outcome: ActionOutcome<T>;
  try {
    const result = await perform();
    stored = { ok: true, result, fingerprint };
    outcome = { ok: true, result, replayed: false };
  } catch (thrown) {
    // A thrown Response (404/403 from a check) is a refusal like any other.
    const error = thrown instanceof Response
      ? new ActionRefused(((await thrown.clone().json().catch(() => null)) as { error?: string } | null)?.error ?? thrown.statusText, thrown.status)
      : thrown;
    const refused = error instanceof ActionRefused;
    if (!refused) console.error(`action ${spec.action} on ${spec.targetId} failed`, error);
    const message = refused ? error.message : `The action failed: ${(error as Error).message.split('\n')[0]}`;
    const status = refused ? error.status : 502;
    stored = { ok: false, error: message, status, fingerprint };
    outcome = { ok: false, error: message, status, replayed: false };
  }
  await db().$transaction([
    db().idempotencyRecord.update({
      where: { tenantId_key: { tenantId: ctx.tenantId, key: spec.idempotencyKey } },
      data: { status: stored.ok ? 'done' : 'failed', result: stored as unknown as Prisma.InputJsonValue },
    }),
    db().auditLog.create({
      data: {
        tenantId: ctx.tenantId,
        actorId: ctx.userId,
        actorEmail: ctx.email,
        action: spec.action,
        targetType: spec.targetType,
        targetId: spec.targetId,
        reason: spec.reason ?? null,
        outcome: stored.ok ? 'ok' : 'failed',
        detail: { ...(spec.detail ?? {}), ...(stored.ok ? {} : { error: stored.error }) } as Prisma.InputJsonValue,
        idempotencyKey: spec.idempotencyKey,
      },
    }),
  ]);
  return outcome;
}

/** The same key again: wait briefly for the first request to finish, then answer as it did. */
async function replay<T>(tenantId: string, spec: ActionSpec, fingerprint: string): Promise<ActionOutcome<T>> {
  for (let i = 0; i < 50; i++) {
    const rec = await db().idempotencyRecord.findUnique({ where: { tenantId_key: { tenantId, key: spec.idempotencyKey } } });
    const stored = rec?.result as StoredResult | null;
    if (stored?.fingerprint !== fingerprint) {
      return { ok: false, error: 'This idempotency key was already used for another action.', status: 422, replayed: true };
    }
    if (rec && rec.status !== 'pending') {
      return stored.ok
        ? { ok: true, result: stored.result as T, replayed: true }
        : { ok: false, error: stored.error ?? 'failed', status: stored.status ?? 409, replayed: true };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ok: false, error: 'The same action is still being processed; refresh in a moment.', status: 409, replayed: true };
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
