// The top bar's one search box: an email, a name, a trial user id, an order id, a checkout session
// id, a workflow id or an incident id, looked up in the operator's current tenant or in all their
// tenants. Each kind of hit needs its page's permission in the hit's tenant; a workflow is found by
// Temporal describe and shown only when its TenantId is one of the tenants searched.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { formatEuros, statusLabel } from '../finance/labels';
import type { TenantContext } from '../server/auth.server';
import { db, likeLiteral } from '../server/db.server';
import { can, type Permission, type Role } from '../server/permissions';
import { searchTrialUsers } from '../trials/search.server';
import { describeWorkflowOfSomeTenant } from '../workflows/list.server';
import { HIT_KINDS, SEARCH_MAX, type HitKind } from './labels';
import { serverT } from '../i18n/server-t.server';
import type { Language } from '../preferences/languages';

/** The result page's query string: no `q` is the empty search page; a blank or overlong one is a 400. */
export const searchQuery = z.object({
  q: z.string().trim().min(1, 'type an email, a name or an id to look for').max(SEARCH_MAX, `use at most ${SEARCH_MAX} characters`).optional(),
  all: z.enum(['1'], { errorMap: () => ({ message: 'is “1” (search all my tenants) or absent' }) }).optional(),
});
export type SearchQuery = z.infer<typeof searchQuery>;

/** The page each kind lands on needs this permission in the hit's tenant. */
const KIND_PERMISSION: Record<HitKind, Permission> = {
  trial: 'read:trial',
  payment: 'read:payment',
  incident: 'read:payment',
  checkout: 'read:workflow',
  workflow: 'read:workflow',
};

/** Hits per kind and tenant: the result page is a short list, not a report. */
export const HITS_PER_KIND = 10;
const TEMPORAL_TIMEOUT_MS = 3_000;

export interface SearchHit {
  kind: HitKind;
  tenantId: string;
  tenantName: string;
  /** The id of what was found (user id, order id, session id, workflow id, incident id). */
  id: string;
  label: string;
  detail: string;
  href: string;
  /** The query is this hit's id, email or full name, not only the start of one. */
  exact: boolean;
}

export interface SearchOutcome {
  hits: SearchHit[];
  /** Where to go at once: the one exact hit, else the one hit; null for a list. */
  landOn: string | null;
  /** Kinds (and tenants) that had more hits than shown. */
  more: Array<{ kind: HitKind; tenantId: string }>;
  /** What could not be searched (Temporal did not answer), said on the page. */
  notes: string[];
}

type Tenant = { tenantId: string; tenantName: string; role: Role };

/** The tenants a search covers: the current one, or every active membership with `all`. */
export function searchScope(ctx: TenantContext, all: boolean): Tenant[] {
  if (!all) return [{ tenantId: ctx.tenantId, tenantName: ctx.tenantName, role: ctx.role }];
  return ctx.memberships.map((m) => ({ tenantId: m.tenantId, tenantName: m.tenantName, role: m.role }));
}

const path = (tenantId: string, ...parts: string[]) => `/t/${tenantId}/${parts.map(encodeURIComponent).join('/')}`;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const isUuid = (s: string) => z.string().uuid().safeParse(s).success;

type Found = Omit<SearchHit, 'tenantId' | 'tenantName' | 'kind'>;
type Lookup = (tenantId: string, q: string) => Promise<Found[]>;

// Each lookup asks for one more than it shows, so the page can say there are more.
const LOOKUPS: Record<Exclude<HitKind, 'workflow'>, Lookup> = {
  trial: async (tenantId, q) =>
    (await searchTrialUsers(tenantId, q, HITS_PER_KIND + 1)).map((u) => ({
      id: u.id,
      label: u.name,
      detail: u.email,
      href: path(tenantId, 'trials', u.id),
      exact: same(u.id, q) || same(u.email, q) || same(u.name, q),
    })),
  payment: async (tenantId, q) =>
    (
      await db().paymentSaga.findMany({
        where: { tenantId, orderId: { startsWith: likeLiteral(q), mode: 'insensitive' } },
        orderBy: { orderId: 'asc' },
        take: HITS_PER_KIND + 1,
        select: { orderId: true, status: true, totalCents: true },
      })
    ).map((s) => ({ id: s.orderId, label: s.orderId, detail: `${statusLabel(s.status)} · ${formatEuros(s.totalCents)}`, href: path(tenantId, 'payments', s.orderId), exact: same(s.orderId, q) })),
  incident: async (tenantId, q) =>
    !isUuid(q)
      ? []
      : (await db().financeIncident.findMany({ where: { tenantId, id: q.toLowerCase() }, select: { id: true, orderId: true, status: true } })).map((i) => ({
          id: i.id,
          // The page writes "Incident on order …" in the operator's language.
          label: i.orderId,
          detail: i.status,
          href: path(tenantId, 'incidents', i.id),
          exact: true,
        })),
  checkout: async (tenantId, q) =>
    (
      await db().checkoutSession.findMany({
        where: { tenantId, sessionId: { startsWith: likeLiteral(q), mode: 'insensitive' } },
        orderBy: { sessionId: 'asc' },
        take: HITS_PER_KIND + 1,
        select: { sessionId: true, state: true, step: true },
      })
    ).map((c) => ({ id: c.sessionId, label: c.sessionId, detail: `${c.state} (${c.step})`, href: path(tenantId, 'checkouts', c.sessionId), exact: same(c.sessionId, q) })),
};

/**
 * One describe, whatever the scope: the workflow is a hit only when its TenantId is a searched
 * tenant whose role reads workflows; any other tenant's workflow is the same as none.
 */
async function workflowHit(client: Client, tenants: Tenant[], q: string): Promise<SearchHit | null> {
  const found = await client.connection.withDeadline(Date.now() + TEMPORAL_TIMEOUT_MS, () => describeWorkflowOfSomeTenant(client, q));
  const tenant = found && tenants.find((t) => t.tenantId === found.tenantId);
  if (!found || !tenant) return null;
  const d = found.description;
  return {
    kind: 'workflow',
    tenantId: tenant.tenantId,
    tenantName: tenant.tenantName,
    id: d.workflowId,
    label: d.workflowId,
    detail: `${d.type} · ${d.status.name}`,
    href: path(tenant.tenantId, 'workflows', d.workflowId),
    exact: true,
  };
}

/** Searches `tenants` for `q` (already parsed by searchQuery); reads only, writes nothing. */
export async function searchConsole(tenants: Tenant[], q: string, temporal: () => Promise<Client>, language: Language = 'en'): Promise<SearchOutcome> {
  const allowed = (kind: HitKind) => tenants.filter((t) => can(t.role, KIND_PERMISSION[kind]));
  const notes: string[] = [];
  const more: SearchOutcome['more'] = [];
  const fromDb = Object.entries(LOOKUPS).flatMap(([kind, lookup]) =>
    allowed(kind as HitKind).map(async (t) => {
      const found = await lookup(t.tenantId, q);
      if (found.length > HITS_PER_KIND) more.push({ kind: kind as HitKind, tenantId: t.tenantId });
      return found.slice(0, HITS_PER_KIND).map((f): SearchHit => ({ ...f, kind: kind as HitKind, tenantId: t.tenantId, tenantName: t.tenantName }));
    }),
  );
  const workflowTenants = allowed('workflow');
  const fromTemporal = workflowTenants.length === 0
    ? Promise.resolve([])
    : temporal()
        .then((client) => workflowHit(client, workflowTenants, q))
        .then((hit) => (hit ? [hit] : []))
        .catch((error: Error) => {
          notes.push(serverT(language, 'search')('workflowsNotSearched', { error: error.message }));
          return [];
        });
  const hits = (await Promise.all([...fromDb, fromTemporal])).flat();
  hits.sort((a, b) => HIT_KINDS.indexOf(a.kind) - HIT_KINDS.indexOf(b.kind) || a.tenantName.localeCompare(b.tenantName) || a.label.localeCompare(b.label));
  const exact = hits.filter((h) => h.exact);
  const landOn = exact.length === 1 ? exact[0]!.href : hits.length === 1 && more.length === 0 ? hits[0]!.href : null;
  return { hits, landOn, more, notes };
}
