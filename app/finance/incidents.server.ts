// The finance incident queue: incidents opened by failed sagas (finance_incidents, written by
// the payment activities), worked by finance in the console — acknowledged, assigned to a member
// of the tenant, annotated, resolved with a reason. Every change is a conditional update (two
// people acting at once: one wins, the other gets a 409) plus a row of the incident's
// append-only timeline (finance_incident_events), inside one transaction.
import { z } from 'zod';
import { compensationKey, COMPENSATION_ACTIONS } from '../../finance/compensation-retry';
import { idempotencyKeySchema, refuseMissingTarget, runAuditedAction, ActionRefused } from '../server/audited-action.server';
import type { TenantContext } from '../server/auth.server';
import { db } from '../server/db.server';
import { reasonRequired } from '../server/fields';
import { invariantResponse } from '../server/http.server';
import { INCIDENT_STATUSES, financeWord } from './labels';
import { serverT } from '../i18n/server-t.server';
import { PERMISSIONS } from '../server/permissions';

/** Roles that can read payments: the only members an incident can be assigned to. */
const ASSIGNABLE_ROLES = PERMISSIONS['read:payment'] as readonly string[];

export const incidentListSchema = z.object({
  status: z.enum([...INCIDENT_STATUSES, 'all']).default('open'),
  assignee: z.union([z.enum(['me', 'none']), z.string().uuid()]).optional(),
  severity: z.enum(['high', 'normal']).optional(),
  before: z.string().uuid().optional(),
});
export type IncidentListParams = z.infer<typeof incidentListSchema>;

const PAGE = 50;

export async function listIncidents(ctx: TenantContext, p: IncidentListParams) {
  const assigneeId = p.assignee === 'me' ? ctx.userId : p.assignee === 'none' ? null : p.assignee;
  const where = {
    tenantId: ctx.tenantId,
    ...(p.status !== 'all' && { status: p.status }),
    ...(p.assignee !== undefined && { assigneeId }),
    ...(p.severity && { severity: p.severity }),
  };
  // Newest first, keyset on (created_at, id) through Prisma's cursor, resolved within the tenant
  // first: another tenant's incident id pages exactly like an unknown one (an empty page).
  const anchored = p.before ? Boolean(await db().financeIncident.findFirst({ where: { tenantId: ctx.tenantId, id: p.before }, select: { id: true } })) : true;
  const [records, counts] = await Promise.all([
    !anchored ? Promise.resolve([]) : db().financeIncident.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      ...(p.before ? { cursor: { id: p.before }, skip: 1 } : {}),
      take: PAGE + 1,
      select: { id: true, orderId: true, severity: true, failedStep: true, sagaStatus: true, status: true, assigneeId: true, createdAt: true, originalError: true },
    }),
    db().financeIncident.groupBy({ by: ['status'], where: { tenantId: ctx.tenantId }, _count: { _all: true } }),
  ]);
  const page = records.slice(0, PAGE);
  const people = await peopleById(page.map((r) => r.assigneeId));
  return {
    rows: page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), assignee: r.assigneeId ? people.get(r.assigneeId) ?? r.assigneeId : null })),
    nextBefore: records.length > PAGE ? page[page.length - 1]!.id : null,
    counts: Object.fromEntries(INCIDENT_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?._count._all ?? 0])) as Record<(typeof INCIDENT_STATUSES)[number], number>,
  };
}

async function peopleById(ids: Array<string | null>) {
  const wanted = [...new Set(ids.filter((i): i is string => Boolean(i)))];
  if (wanted.length === 0) return new Map<string, string>();
  const users = await db().staffUser.findMany({ where: { id: { in: wanted } }, select: { id: true, email: true, name: true } });
  return new Map(users.map((u) => [u.id, `${u.name} (${u.email})`]));
}

/** Active members of the tenant whose role reads payments. */
export async function assignableMembers(tenantId: string) {
  const rows = await db().$queryRaw<Array<{ id: string; email: string; name: string; role: string }>>`
    SELECT u.id, u.email, u.name, m.role::text AS role
      FROM memberships m JOIN staff_users u ON u.id = m.user_id
     WHERE m.tenant_id = ${tenantId} AND m.disabled_at IS NULL AND u.disabled_at IS NULL AND m.role::text = ANY(${[...ASSIGNABLE_ROLES]}::text[])
     ORDER BY u.name, u.email`;
  return rows;
}

const isUuid = (id: string) => z.string().uuid().safeParse(id).success;

export async function getIncident(tenantId: string, id: string) {
  invariantResponse(isUuid(id), 'Not found', 404);
  const incident = await db().financeIncident.findFirst({ where: { id, tenantId } });
  invariantResponse(incident, 'Not found', 404);
  const keys = COMPENSATION_ACTIONS.map((a) => compensationKey(a, incident.orderId));
  const [events, retries, saga, compensationRows] = await Promise.all([
    db().financeIncidentEvent.findMany({ where: { tenantId, incidentId: id }, orderBy: { id: 'asc' } }),
    db().compensationRetry.findMany({ where: { tenantId, orderId: incident.orderId }, orderBy: { id: 'asc' } }),
    db().paymentSaga.findFirst({ where: { tenantId, orderId: incident.orderId }, select: { status: true, totalCents: true } }),
    db().ledgerEntry.findMany({ where: { tenantId, idempotencyKey: { in: keys } }, select: { idempotencyKey: true, status: true } }),
  ]);
  // Compensations the saga tried and that are still not done: what a retry can fix.
  const pending = COMPENSATION_ACTIONS.filter((a) => compensationRows.some((r) => r.idempotencyKey === compensationKey(a, incident.orderId) && r.status !== 'succeeded'));
  const people = await peopleById([incident.assigneeId, ...events.map((e) => e.assigneeId)]);
  return {
    incident: {
      ...incident,
      createdAt: incident.createdAt.toISOString(),
      updatedAt: incident.updatedAt.toISOString(),
      acknowledgedAt: incident.acknowledgedAt?.toISOString() ?? null,
      resolvedAt: incident.resolvedAt?.toISOString() ?? null,
      assignee: incident.assigneeId ? people.get(incident.assigneeId) ?? incident.assigneeId : null,
    },
    events: events.map((e) => ({
      id: e.id.toString(),
      kind: e.kind,
      body: e.body,
      assignee: e.assigneeId ? people.get(e.assigneeId) ?? e.assigneeId : null,
      actorEmail: e.actorEmail,
      at: e.createdAt.toISOString(),
    })),
    saga: saga && { status: saga.status, totalCents: saga.totalCents },
    retryable: saga && saga.status !== 'running' ? pending : [],
    retries: retries.map((r) => ({ id: r.id.toString(), action: r.action, status: r.status, providerId: r.providerId, error: r.error, by: r.requestedByEmail, at: r.createdAt.toISOString() })),
  };
}

export const incidentOpForm = z.discriminatedUnion('op', [
  z.object({ op: z.literal('acknowledge'), idempotencyKey: idempotencyKeySchema }),
  z.object({ op: z.literal('assign'), idempotencyKey: idempotencyKeySchema, assigneeId: z.union([z.literal('none'), z.string().uuid('assigneeId must be a member id')]) }),
  z.object({ op: z.literal('note'), idempotencyKey: idempotencyKeySchema, note: z.string().trim().min(3, 'a note of at least 3 characters is required').max(2000, 'use at most 2000 characters') }),
  z.object({ op: z.literal('resolve'), idempotencyKey: idempotencyKeySchema, reason: reasonRequired }),
]);
export type IncidentOp = z.infer<typeof incidentOpForm>;

/** Runs one change on an incident of the session's tenant, audited and at most once per request key. */
export async function changeIncident(ctx: TenantContext, incidentId: string, op: IncidentOp) {
  // An id that is no uuid names no incident (and PostgreSQL would refuse it in a uuid column).
  const exists = isUuid(incidentId) && (await db().financeIncident.findFirst({ where: { id: incidentId, tenantId: ctx.tenantId }, select: { id: true } }));
  const reason = op.op === 'resolve' ? op.reason : null;
  if (!exists) await refuseMissingTarget(ctx, { action: `incident:${op.op}`, targetType: 'finance_incident', targetId: incidentId, reason, idempotencyKey: op.idempotencyKey });
  return runAuditedAction(
    ctx,
    { action: `incident:${op.op}`, targetType: 'finance_incident', targetId: incidentId, reason, idempotencyKey: op.idempotencyKey, detail: op.op === 'assign' ? { assigneeId: op.assigneeId } : undefined },
    () => apply(ctx, incidentId, op),
  );
}

async function apply(ctx: TenantContext, incidentId: string, op: IncidentOp): Promise<{ message: string }> {
  const t = serverT(ctx.language, 'finance');
  const now = new Date();
  const where = { id: incidentId, tenantId: ctx.tenantId };

  switch (op.op) {
    case 'note':
      await db().financeIncidentEvent.create({ data: { tenantId: ctx.tenantId, incidentId, kind: 'note', body: op.note, actorId: ctx.userId, actorEmail: ctx.email } });
      return { message: t('server.noteAdded') };

    case 'acknowledge':
      return db().$transaction(async (tx) => {
        const { count } = await tx.financeIncident.updateMany({ where: { ...where, status: 'open' }, data: { status: 'acknowledged', acknowledgedAt: now, updatedAt: now } });
        if (count === 0) throw new ActionRefused(await whyNot(ctx, incidentId, 'acknowledged'), 409);
        await tx.financeIncidentEvent.create({ data: { tenantId: ctx.tenantId, incidentId, kind: 'acknowledge', actorId: ctx.userId, actorEmail: ctx.email } });
        return { message: t('server.acknowledged') };
      });

    case 'assign': {
      const assigneeId = op.assigneeId === 'none' ? null : op.assigneeId;
      if (assigneeId) {
        const member = (await assignableMembers(ctx.tenantId)).find((m) => m.id === assigneeId);
        if (!member) throw new ActionRefused(t('server.notAssignable'), 409);
      }
      return db().$transaction(async (tx) => {
        const { count } = await tx.financeIncident.updateMany({ where: { ...where, status: { not: 'resolved' } }, data: { assigneeId, updatedAt: now } });
        if (count === 0) throw new ActionRefused(t('server.resolvedNoAssign'), 409);
        await tx.financeIncidentEvent.create({ data: { tenantId: ctx.tenantId, incidentId, kind: 'assign', assigneeId, actorId: ctx.userId, actorEmail: ctx.email } });
        return { message: assigneeId ? t('server.assigned') : t('server.unassigned') };
      });
    }

    case 'resolve':
      return db().$transaction(async (tx) => {
        // Resolving an open incident acknowledges it too, so the timeline's dates stay in order.
        const count = await tx.$executeRaw`
          UPDATE finance_incidents SET status = 'resolved', resolved_at = ${now}, updated_at = ${now}, acknowledged_at = COALESCE(acknowledged_at, ${now})
           WHERE id = ${incidentId}::uuid AND tenant_id = ${ctx.tenantId} AND status IN ('open', 'acknowledged')`;
        if (count === 0) throw new ActionRefused(await whyNot(ctx, incidentId, 'resolved'), 409);
        await tx.financeIncidentEvent.create({ data: { tenantId: ctx.tenantId, incidentId, kind: 'resolve', body: op.reason, actorId: ctx.userId, actorEmail: ctx.email } });
        return { message: t('server.resolved') };
      });
  }
}

async function whyNot(ctx: TenantContext, incidentId: string, wanted: 'acknowledged' | 'resolved') {
  const t = serverT(ctx.language, 'finance');
  const current = await db().financeIncident.findUnique({ where: { id: incidentId }, select: { status: true } });
  return t('server.already', { status: financeWord(t, 'incidentStatus', current?.status ?? 'gone'), wanted: t(`incidentStatus.${wanted}`) });
}
