// Reading a tenant's reported checkouts (seed case 1): the live list with its filters, one
// session with its transitions, and the counts the dashboard shows. Every query takes the
// tenant from the staff member's context, never from the browser.
import { z } from 'zod';
import { machineCheckout } from '../../machines';
import type { Prisma } from '../../prisma/db';
import { requireTenantPermission } from '../server/auth.server';
import { db } from '../server/db.server';
import { parseSearch } from '../server/http.server';
import { DEFAULT_STUCK_SECONDS, STUCK_STATES, STUCK_TAG } from '../ingest/labels';

export const CHECKOUT_STATES = Object.keys(machineCheckout.root.states);
export const CHECKOUT_TAGS = [...new Set(Object.values(machineCheckout.root.states).flatMap((s) => s.tags))].sort();
export const CHECKOUT_SORTS = ['lastEventAt', 'stateSince', 'cartCents', 'paymentAttempts'] as const;
const LIST_LIMIT = 200;
const TIMELINE_LIMIT = 500;

const empty = (v: unknown) => (v === '' || v === null ? undefined : v);
export const checkoutFilterSchema = z.object({
  state: z.preprocess(empty, z.enum(CHECKOUT_STATES as [string, ...string[]]).optional()),
  tag: z.preprocess(empty, z.enum(CHECKOUT_TAGS as [string, ...string[]]).optional()),
  stuck: z.preprocess(empty, z.literal('1').optional()),
  threshold: z.preprocess(empty, z.coerce.number().int().min(1).max(86_400).default(DEFAULT_STUCK_SECONDS)),
  session: z.preprocess(empty, z.string().max(100).optional()),
  sort: z.preprocess(empty, z.enum(CHECKOUT_SORTS).default('lastEventAt')),
  dir: z.preprocess(empty, z.enum(['asc', 'desc']).default('desc')),
});
export type CheckoutFilter = z.infer<typeof checkoutFilterSchema>;

export function parseCheckoutFilter(params: URLSearchParams) {
  return checkoutFilterSchema.safeParse(Object.fromEntries(params.entries()));
}

export function stuckWhere(thresholdSeconds: number, now = new Date()): Prisma.CheckoutSessionWhereInput {
  return {
    OR: [{ state: { in: [...STUCK_STATES] } }, { tags: { has: STUCK_TAG } }],
    stateSince: { lt: new Date(now.getTime() - thresholdSeconds * 1000) },
  };
}

function where(tenantId: string, f: CheckoutFilter): Prisma.CheckoutSessionWhereInput {
  return {
    tenantId,
    ...(f.state && { state: f.state }),
    ...(f.tag && { tags: { has: f.tag } }),
    ...(f.session && { sessionId: { startsWith: f.session } }),
    ...(f.stuck && { AND: [stuckWhere(f.threshold)] }),
  };
}

export async function listCheckouts(tenantId: string, f: CheckoutFilter) {
  const [rows, byState, stuck] = await Promise.all([
    db().checkoutSession.findMany({
      where: where(tenantId, f),
      orderBy: [{ [f.sort]: f.dir }, { sessionId: 'asc' }],
      take: LIST_LIMIT,
      select: {
        sessionId: true, state: true, step: true, tags: true, cartCents: true, paymentAttempts: true,
        lastErrorCode: true, stateSince: true, lastEventAt: true, lastEventType: true,
      },
    }),
    countCheckoutsByState(tenantId),
    db().checkoutSession.count({ where: { tenantId, ...stuckWhere(f.threshold) } }),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, stateSince: r.stateSince.toISOString(), lastEventAt: r.lastEventAt.toISOString() })),
    byState,
    stuck,
    limited: rows.length === LIST_LIMIT,
  };
}

export async function countCheckoutsByState(tenantId: string) {
  const groups = await db().checkoutSession.groupBy({ by: ['state'], where: { tenantId }, _count: { _all: true } });
  return Object.fromEntries(CHECKOUT_STATES.map((s) => [s, groups.find((g) => g.state === s)?._count._all ?? 0]));
}

/** Payment error codes seen in the tenant's transitions into erreurPaiement since `since`. */
export async function paymentErrorCodes(tenantId: string, since: Date) {
  const groups = await db().checkoutTransition.groupBy({
    by: ['lastErrorCode'],
    where: { tenantId, state: 'erreurPaiement', at: { gte: since }, lastErrorCode: { not: null } },
    _count: { _all: true },
  });
  return groups
    .map((g) => ({ code: g.lastErrorCode ?? '', count: g._count._all }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

export async function getCheckout(tenantId: string, sessionId: string) {
  const session = await db().checkoutSession.findUnique({ where: { tenantId_sessionId: { tenantId, sessionId } } });
  if (!session) return null;
  const transitions = await db().checkoutTransition.findMany({
    where: { tenantId, sessionId },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: TIMELINE_LIMIT,
    select: { id: true, eventType: true, state: true, stateValue: true, tags: true, paymentAttempts: true, lastErrorCode: true, cartCents: true, at: true },
  });
  return {
    session: {
      ...session,
      stateSince: session.stateSince.toISOString(),
      firstEventAt: session.firstEventAt.toISOString(),
      lastEventAt: session.lastEventAt.toISOString(),
      updatedAt: session.updatedAt.toISOString(),
    },
    transitions: transitions.reverse().map((t) => ({ ...t, id: String(t.id), at: t.at.toISOString() })),
    truncated: transitions.length === TIMELINE_LIMIT,
  };
}

/** The live checkouts page's data (its loader, and the ingestion bench's way of reading it). */
export async function liveCheckoutsData(request: Request, tenantIdParam: string | undefined) {
  const ctx = await requireTenantPermission(request, tenantIdParam, 'read:workflow');
  const filter = parseSearch(request, checkoutFilterSchema);
  const list = await listCheckouts(ctx.tenantId, filter);
  return { tenantId: ctx.tenantId, filter, states: CHECKOUT_STATES, tags: CHECKOUT_TAGS, serverNow: Date.now(), ...list };
}
