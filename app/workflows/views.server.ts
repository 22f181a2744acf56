// Saved views of the workflow list: a name and the list's query string, per tenant, private to
// their owner or shared with the team; an admin may make a shared view a role's default. The
// stored query is checked like the URL it comes from, when saved and again when applied.
import { z } from 'zod';
import { ActionRefused, idempotencyKeySchema, runAuditedAction } from '../server/audited-action.server';
import type { TenantContext } from '../server/auth.server';
import { db } from '../server/db.server';
import { role } from '../server/fields';
import { invariantResponse, readSearch } from '../server/http.server';
import { workflowListQuery } from './filters.server';
import { advancedQueryProblem } from './query.server';
import type { WorkflowsT } from './history.server';
import { serverT } from '../i18n/server-t.server';

/** What a view keeps of the URL: the filters and the page size, not the zone (the viewer's own), the paging cursor or the view itself. */
const NOT_KEPT = ['tz', 'cursor', 'sv'];

export function viewQueryOf(search: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const [k, v] of search) if (!NOT_KEPT.includes(k) && v !== '') kept.append(k, v);
  return kept.toString();
}

/** The list's parameters with a view applied: the view's filters, and the URL's zone, cursor, page size and columns. */
export function withView(viewQuery: string, url: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(viewQuery);
  for (const k of ['tz', 'cursor', 'size', 'cols']) if (url.get(k)) params.set(k, url.get(k)!);
  return params;
}

/** A stored query as the list reads it; a 400 naming the problem when it is not one. */
export function parseViewQuery(query: string, t: WorkflowsT) {
  const parsed = readSearch(new URLSearchParams(query), workflowListQuery);
  invariantResponse(parsed.ok, parsed.ok ? '' : parsed.error, 400);
  const problem = parsed.data.q ? advancedQueryProblem(parsed.data.q, t) : null;
  invariantResponse(problem === null, t('filterProblems.filter', { name: 'q', problem }), 400);
  return parsed.data;
}

export const savedViewForm = z.object({
  idempotencyKey: idempotencyKeySchema,
  name: z.string().trim().min(1, 'give the view a name').max(80, 'use at most 80 characters'),
  query: z.string().max(4000, 'the view’s filters are too long'),
  shared: z.enum(['on', 'true']).optional().transform(Boolean),
  defaultForRole: z.union([role, z.literal('')]).optional().transform((v) => v || null),
});
export type SavedViewForm = z.infer<typeof savedViewForm>;

export interface SavedViewRow { id: string; name: string; query: string; shared: boolean; defaultForRole: string | null; ownerEmail: string; mine: boolean }

const visibleTo = (ctx: TenantContext) => ({ tenantId: ctx.tenantId, OR: [{ shared: true }, { ownerId: ctx.userId }] });
const toRow = (ctx: TenantContext) => (v: { id: string; name: string; query: string; shared: boolean; defaultForRole: string | null; ownerEmail: string; ownerId: string }): SavedViewRow => ({
  id: v.id, name: v.name, query: v.query, shared: v.shared, defaultForRole: v.defaultForRole, ownerEmail: v.ownerEmail, mine: v.ownerId === ctx.userId,
});

/** The views this person sees in this tenant: the team's shared ones and their own. */
export async function listSavedViews(ctx: TenantContext): Promise<SavedViewRow[]> {
  const views = await db().savedView.findMany({ where: visibleTo(ctx), orderBy: [{ name: 'asc' }, { createdAt: 'asc' }] });
  return views.map(toRow(ctx));
}

/** One view this person may open; another tenant's, someone else's private or an unknown id is a 404. */
export async function savedViewFor(ctx: TenantContext, id: string): Promise<SavedViewRow> {
  invariantResponse(z.string().uuid().safeParse(id).success, 'Not found', 404);
  const view = await db().savedView.findFirst({ where: { id, ...visibleTo(ctx) } });
  invariantResponse(view, 'Not found', 404);
  return toRow(ctx)(view);
}

/** The shared view that is this person's role default in this tenant, if any. */
export async function defaultViewFor(ctx: TenantContext): Promise<SavedViewRow | null> {
  const view = await db().savedView.findFirst({ where: { tenantId: ctx.tenantId, shared: true, defaultForRole: ctx.role } });
  return view ? toRow(ctx)(view) : null;
}

/** Saves a view, audited; a bad query is a 400 with nothing recorded; only an admin sets a role's default. */
export async function saveView(ctx: TenantContext, form: SavedViewForm) {
  const t = serverT(ctx.language, 'workflows');
  parseViewQuery(form.query, t);
  invariantResponse(!form.defaultForRole || form.shared, t('actions.viewDefaultShared'), 400);
  return runAuditedAction(
    ctx,
    { action: 'view:save', targetType: 'saved_view', targetId: form.name, idempotencyKey: form.idempotencyKey, detail: { query: form.query, shared: form.shared, defaultForRole: form.defaultForRole } },
    async () => {
      if (form.defaultForRole && ctx.role !== 'admin') throw new ActionRefused(t('actions.viewAdminDefault'), 403);
      const view = await db().$transaction(async (tx) => {
        if (form.defaultForRole) await tx.savedView.updateMany({ where: { tenantId: ctx.tenantId, defaultForRole: form.defaultForRole }, data: { defaultForRole: null } });
        return tx.savedView.create({
          data: { tenantId: ctx.tenantId, ownerId: ctx.userId, ownerEmail: ctx.email, name: form.name, query: form.query, shared: form.shared, defaultForRole: form.defaultForRole },
        });
      });
      return { message: t(view.shared ? 'actions.viewSavedShared' : 'actions.viewSaved', { name: view.name }), id: view.id };
    },
  );
}

/** Changing a saved view: its filters, name and sharing replaced by the list's current ones, or the view deleted. */
export const savedViewChangeForm = z.discriminatedUnion('op', [
  savedViewForm.extend({ op: z.literal('update') }),
  z.object({ op: z.literal('delete'), idempotencyKey: idempotencyKeySchema }),
]);
export type SavedViewChangeForm = z.infer<typeof savedViewChangeForm>;

/** Who may change a view: its owner, or an admin when the view is shared with the team. */
export const canChangeView = (ctx: TenantContext, view: SavedViewRow) => view.mine || (ctx.role === 'admin' && view.shared);

/**
 * Updates or deletes a view, audited. A view this person cannot see is a 404 (nothing recorded);
 * one they see but may not change is a recorded 403. A role's default is set, moved or dropped by an
 * admin only (an admin making a view private drops its default; its owner cannot).
 */
export async function changeView(ctx: TenantContext, id: string, form: SavedViewChangeForm) {
  const t = serverT(ctx.language, 'workflows');
  const view = await savedViewFor(ctx, id);
  if (form.op === 'update') {
    parseViewQuery(form.query, t);
    invariantResponse(!form.defaultForRole || form.shared, t('actions.viewDefaultShared'), 400);
  }
  const detail = form.op === 'update' ? { name: form.name, query: form.query, shared: form.shared, defaultForRole: form.defaultForRole, before: { name: view.name, query: view.query, shared: view.shared, defaultForRole: view.defaultForRole } } : { name: view.name, query: view.query };
  return runAuditedAction(
    ctx,
    { action: `view:${form.op}`, targetType: 'saved_view', targetId: id, idempotencyKey: form.idempotencyKey, detail },
    async () => {
      if (!canChangeView(ctx, view)) throw new ActionRefused(t('actions.viewOwnerOnly'), 403);
      // A role's default belongs to the admins: another owner keeps it as it is and cannot drop it.
      const isAdmin = ctx.role === 'admin';
      if (!isAdmin && view.defaultForRole && (form.op === 'delete' || !form.shared)) {
        throw new ActionRefused(t('actions.viewRoleDefault', { role: view.defaultForRole }), 409);
      }
      if (form.op === 'delete') {
        const { count } = await db().savedView.deleteMany({ where: { id, tenantId: ctx.tenantId } });
        if (count === 0) throw new ActionRefused(t('actions.viewAlreadyDeleted'), 404);
        return { message: t('actions.viewDeleted', { name: view.name }) };
      }
      if (!isAdmin && form.defaultForRole && form.defaultForRole !== view.defaultForRole) throw new ActionRefused(t('actions.viewAdminMove'), 403);
      const defaultForRole = isAdmin ? (form.shared ? form.defaultForRole : null) : view.defaultForRole;
      const updated = await db().$transaction(async (tx) => {
        if (defaultForRole) await tx.savedView.updateMany({ where: { tenantId: ctx.tenantId, defaultForRole, NOT: { id } }, data: { defaultForRole: null } });
        const { count } = await tx.savedView.updateMany({ where: { id, tenantId: ctx.tenantId }, data: { name: form.name, query: form.query, shared: form.shared, defaultForRole } });
        if (count === 0) throw new ActionRefused(t('actions.viewDeletedMeanwhile'), 404);
        return { name: form.name, shared: form.shared };
      });
      return { message: t(updated.shared ? 'actions.viewUpdatedShared' : 'actions.viewUpdatedPrivate', { name: updated.name }) };
    },
  );
}
