// Fault injection for the local stand-ins (payment provider, mailer, sales alerter). Faults
// live in PostgreSQL (provider_faults) so a test, the console or a script can arm one for a
// worker running in another process.
import type { Db } from '../prisma/db';

export type FaultMode = 'decline' | 'invalid_account' | 'timeout' | 'lost_answer' | 'reject' | 'delay';

export type FaultOperation =
  | 'charge'
  | 'transfer'
  | 'reverse_transfer'
  | 'refund'
  | 'bill_insurance'
  | 'cancel_insurance'
  | 'start_trial'
  | 'mail.send'
  | 'mail.read'
  | 'sales.alert';

export interface FaultSpec {
  operation: FaultOperation;
  mode: FaultMode;
  /** An order id, idempotency key or recipient the call must concern; omitted: every call. */
  target?: string;
  /** How many matching calls fail; omitted or null: all of them. */
  times?: number | null;
  /** For `delay`: how long the call is held before it goes through. */
  delayMs?: number;
}

export interface ArmedFault {
  id: bigint;
  mode: FaultMode;
  delayMs: number;
}

export async function injectFault(db: Db, spec: FaultSpec): Promise<bigint> {
  if (spec.times != null && (!Number.isInteger(spec.times) || spec.times < 1)) throw new RangeError('times must be a positive integer');
  const row = await db.providerFault.create({
    data: {
      operation: spec.operation,
      mode: spec.mode,
      target: spec.target ?? null,
      remaining: spec.times ?? null,
      delayMs: spec.delayMs ?? 0,
    },
  });
  return row.id;
}

export async function clearFaults(db: Db, target?: string): Promise<number> {
  const { count } = await db.providerFault.deleteMany({ where: target === undefined ? {} : { target } });
  return count;
}

/** Takes one use of the oldest fault matching the call, atomically, so two workers never share one use. */
export async function consumeFault(db: Db, operation: FaultOperation, subjects: Array<string | null | undefined>): Promise<ArmedFault | null> {
  const keys = subjects.filter((s): s is string => typeof s === 'string' && s.length > 0);
  const rows = await db.$queryRaw<Array<{ id: bigint; mode: FaultMode; delay_ms: number }>>`
    UPDATE provider_faults
       SET hits = hits + 1,
           remaining = CASE WHEN remaining IS NULL THEN NULL ELSE remaining - 1 END
     WHERE id = (
       SELECT id FROM provider_faults
        WHERE operation = ${operation}
          AND (target IS NULL OR target = ANY(${keys}::text[]))
          AND (remaining IS NULL OR remaining > 0)
        ORDER BY id
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING id, mode, delay_ms`;
  const row = rows[0];
  return row ? { id: row.id, mode: row.mode, delayMs: row.delay_ms } : null;
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
