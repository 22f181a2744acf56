// The wire format of /api/v1 (the reporter's, machines/reporter-types.ts), validated with zod.
// State values are checked against the real machine and tags are derived from it, so a
// client cannot invent a state or a tag.
import { z } from 'zod';
import { activeStateNodes, InvalidStateValueError, machineCheckout } from '../../machines';
import { boardSchema, checkoutContextSchema, fastCheckoutContext, type MinimisedCheckout } from './pii.server';
import { INGEST_LIMITS, stepOfState, topLevelState } from './labels';

const ID = /^[A-Za-z0-9_.:@-]{1,100}$/;
const id = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_.:@-]+$/, 'letters, digits and _ . : @ - only');
// A browser clock ahead of ours would put events in the future and make nothing look stuck.
const MAX_CLOCK_AHEAD_MS = 1_000;
// Precompiled: zod's own .datetime() builds its regex on every call, a third of the parse time here.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const at = z
  .string()
  .refine((s) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time')
  .transform((s) => new Date(Math.min(Date.parse(s), Date.now() + MAX_CLOCK_AHEAD_MS)));

type StateValue = string | { [k: string]: StateValue };
function isStateValue(v: unknown, depth = 0): v is StateValue {
  if (typeof v === 'string') return v.length > 0 && v.length <= 100;
  if (!v || typeof v !== 'object' || Array.isArray(v) || depth > 10) return false;
  const entries = Object.entries(v);
  return entries.length > 0 && entries.length <= 20 && entries.every(([k, child]) => k.length <= 100 && isStateValue(child, depth + 1));
}
const stateValue = z.custom<StateValue>((v) => isStateValue(v), 'expected a state value: a state name or { state: child }');

// Only a few dozen distinct state values exist: resolve each against the machine once.
const resolved = new Map<string, { tags: string[] } | { error: string }>();
function resolveState(value: StateValue) {
  const k = JSON.stringify(value);
  let r = resolved.get(k);
  if (!r) {
    try {
      r = { tags: [...new Set(activeStateNodes(machineCheckout, value).flatMap((n) => n.tags))].sort() };
    } catch (error) {
      if (!(error instanceof InvalidStateValueError)) throw error;
      r = { error: error.message };
    }
    if (resolved.size < 10_000) resolved.set(k, r);
  }
  return r;
}

const envelope = {
  eventId: id(100),
  sessionId: id(100),
  version: z.string().max(40).default('inconnue'),
  at,
};

export const checkoutEventSchema = z
  .object({
    ...envelope,
    source: z.literal('checkout').optional(),
    machineId: z.literal('checkout').default('checkout'),
    eventType: z.string().min(1).max(100),
    state: z
      .unknown()
      .superRefine((v, ctx) => {
        if (v === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Required' });
      })
      .pipe(stateValue),
    // Client tags are ignored: the machine says which tags a state has.
    tags: z.array(z.string().max(40)).max(20).optional(),
    context: checkoutContextSchema,
  })
  .transform((e, ctx) => {
    const r = resolveState(e.state);
    if ('error' in r) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['state'], message: `not a state of machineCheckout: ${r.error}` });
      return z.NEVER;
    }
    return checkoutRow(e, r.tags, e.context);
  });

function checkoutRow(
  e: { eventId: string; sessionId: string; version: string; at: Date; eventType: string; state: StateValue },
  tags: string[],
  context: MinimisedCheckout,
) {
  const state = topLevelState(e.state);
  return {
    eventId: e.eventId,
    sessionId: e.sessionId,
    machineVersion: e.version,
    at: e.at,
    eventType: e.eventType,
    state,
    stateValue: e.state,
    step: stepOfState(state),
    tags,
    ...context,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** checkoutEventSchema's rules without zod (about 5× faster); null when anything is off. */
export function fastCheckoutEvent(raw: unknown): CheckoutEventRow | null {
  if (!isObject(raw)) return null;
  const { eventId, sessionId, version = 'inconnue', at: rawAt, source, machineId, eventType, state, tags } = raw;
  if (typeof eventId !== 'string' || !ID.test(eventId) || typeof sessionId !== 'string' || !ID.test(sessionId)) return null;
  if (typeof version !== 'string' || version.length > 40) return null;
  if (typeof rawAt !== 'string' || !ISO_DATE_TIME.test(rawAt) || Number.isNaN(Date.parse(rawAt))) return null;
  if ((source !== undefined && source !== 'checkout') || (machineId !== undefined && machineId !== 'checkout')) return null;
  if (typeof eventType !== 'string' || eventType.length < 1 || eventType.length > 100) return null;
  if (tags !== undefined && !(Array.isArray(tags) && tags.length <= 20 && tags.every((t) => typeof t === 'string' && t.length <= 40))) return null;
  if (!isStateValue(state)) return null;
  const r = resolveState(state);
  if ('error' in r) return null;
  const context = fastCheckoutContext(raw.context);
  if (!context) return null;
  const at = new Date(Math.min(Date.parse(rawAt), Date.now() + MAX_CLOCK_AHEAD_MS));
  return checkoutRow({ eventId, sessionId, version, at, eventType, state }, r.tags, context);
}

export type CheckoutEventRow = z.output<typeof checkoutEventSchema>;

export const kanbanErrorSchema = z
  .object({
    ...envelope,
    source: z.literal('kanban').optional(),
    machineId: z.literal('dndKanban').default('dndKanban'),
    boardId: id(100),
    carteId: z.string().min(1).max(100),
    colonneOriginale: z.string().min(1).max(100),
    colonneCible: z.string().min(1).max(100),
    indexCible: z.number().int().min(-1).max(100_000),
    erreur: z.string().max(500).transform((s) => s.slice(0, 500)),
    kind: z.enum(['timeout', 'error']),
    board: boardSchema,
  })
  .transform((e) => {
    // The board is the one after the rollback, so the card sits at its original place in it.
    const from = e.board.find((c) => c.id === e.colonneOriginale);
    const originalIndex = from ? from.cartes.findIndex((c) => c.id === e.carteId) : -1;
    return {
      eventId: e.eventId,
      boardId: e.boardId,
      cardId: e.carteId,
      fromColumn: e.colonneOriginale,
      toColumn: e.colonneCible,
      targetIndex: e.indexCible,
      originalIndex: originalIndex >= 0 ? originalIndex : null,
      error: e.erreur,
      kind: e.kind,
      boardAfter: e.board,
      at: e.at,
    };
  });

export type KanbanErrorRow = z.output<typeof kanbanErrorSchema>;

const batch = <T extends z.ZodTypeAny>(event: T) =>
  z.object({
    events: z
      .array(event)
      .min(1, 'send at least one event')
      .max(INGEST_LIMITS.maxEventsPerBatch, `at most ${INGEST_LIMITS.maxEventsPerBatch} events per batch`),
  });

export const checkoutBatchSchema = batch(checkoutEventSchema);
export const kanbanBatchSchema = batch(kanbanErrorSchema);

export type BatchParse<T> = { ok: true; events: T[] } | { ok: false; issues: string[] };

function zodBatch<T>(schema: z.ZodType<{ events: T[] }, z.ZodTypeDef, unknown>, body: unknown): BatchParse<T> {
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, events: parsed.data.events } : { ok: false, issues: parsed.error.issues.map(formatIssue) };
}

/** A checkout batch: every event through the fast reader, or the whole batch through zod when one fails it. */
export function parseCheckoutBatch(body: unknown): BatchParse<CheckoutEventRow> {
  const events = isObject(body) ? body.events : undefined;
  if (Array.isArray(events) && events.length >= 1 && events.length <= INGEST_LIMITS.maxEventsPerBatch) {
    const rows: CheckoutEventRow[] = [];
    for (const e of events) {
      const row = fastCheckoutEvent(e);
      if (!row) return zodBatch(checkoutBatchSchema, body);
      rows.push(row);
    }
    return { ok: true, events: rows };
  }
  return zodBatch(checkoutBatchSchema, body);
}

export function parseKanbanBatch(body: unknown): BatchParse<KanbanErrorRow> {
  return zodBatch(kanbanBatchSchema, body);
}

/** `events[3].state: Required`, the way a client developer reads a path. */
export function formatIssue(issue: z.ZodIssue): string {
  const path = issue.path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : String(p)),
    '',
  );
  return path ? `${path}: ${issue.message}` : issue.message;
}
