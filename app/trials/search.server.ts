// Support's view of trial users: search in PostgreSQL, the onboarding list from visibility.
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { visibilityLiteral } from '../../temporal/search-attributes';
import { ONBOARDING_WORKFLOW_TYPE, userIdFromOnboardingWorkflowId } from '../../temporal/workflows/onboarding.contract';
import { db, likeLiteral, pgPool } from '../server/db.server';
import { PHASES, STATUSES, workflowStatusName } from '../workflows/labels';
import type { WorkflowRow } from '../workflows/list.server';
import { runChains } from '../workflows/run-chains.server';
import { countLatestRuns, latestRunsOnly, sortedWorkflowPage, type SortBuckets } from '../workflows/visibility.server';

// For routes: a page that imported the contract itself would ship the Temporal SDK to the browser.
export { onboardingWorkflowId, userIdFromOnboardingWorkflowId } from '../../temporal/workflows/onboarding.contract';

export const trialListParams = z.object({
  phase: z.enum(PHASES).optional(),
  day: z.coerce.number().int().min(0).max(60).optional(),
  subscribed: z.enum(['true', 'false']).optional(),
  status: z.enum(STATUSES).optional(),
  sort: z.enum(['started', 'day-asc', 'day-desc', 'phase']).default('started'),
  cursor: z.string().max(2000).optional(),
  size: z.coerce.number().int().refine((n) => [25, 50, 100].includes(n), 'size must be 25, 50 or 100').default(50),
});
export type TrialListParams = z.infer<typeof trialListParams>;

/**
 * The trials page's query string: the list's parameters and the search box (q, cut at 200
 * characters). Here, not in the route: a route module's top level also runs in the browser,
 * where a .server module's exports are undefined (the page's script then failed to hydrate).
 */
export const trialPageQuery = trialListParams.extend({ q: z.string().optional().transform((v) => (v ?? '').slice(0, 200)) });

const DAYS = Array.from({ length: 15 }, (_, i) => i);
const SORTS: Record<Exclude<TrialListParams['sort'], 'started'>, SortBuckets> = {
  'day-asc': { clause: (v) => (v === 14 ? 'TrialDay >= 14' : `TrialDay = ${v}`), values: DAYS },
  'day-desc': { clause: (v) => (v === 14 ? 'TrialDay >= 14' : `TrialDay = ${v}`), values: [...DAYS].reverse() },
  phase: { clause: (v) => `OnboardingPhase = ${visibilityLiteral(String(v))}`, values: PHASES },
};

export function trialFilter(p: TrialListParams): string {
  const parts = [TRIALS];
  if (p.phase) parts.push(`OnboardingPhase = ${visibilityLiteral(p.phase)}`);
  if (p.day !== undefined) parts.push(`TrialDay = ${p.day}`);
  if (p.subscribed) parts.push(`Subscribed = ${p.subscribed}`);
  if (p.status) parts.push(`ExecutionStatus = '${p.status}'`);
  return parts.join(' AND ');
}

/** Every onboarding workflow of a tenant: what the list's filters narrow. */
const TRIALS = `WorkflowType = '${ONBOARDING_WORKFLOW_TYPE}'`;

/** Whether a run matches trialFilter(p), as visibility would answer it (for the runs remembered outside visibility). */
export function trialMatches(p: TrialListParams): (run: WorkflowRow) => boolean {
  return (run) => {
    const a = run.searchAttributes;
    return run.type === ONBOARDING_WORKFLOW_TYPE
      && (!p.phase || a.OnboardingPhase === p.phase)
      && (p.day === undefined || a.TrialDay === p.day)
      && (!p.subscribed || a.Subscribed === (p.subscribed === 'true'))
      && (!p.status || workflowStatusName(run.status) === p.status);
  };
}

/**
 * One row per trial user: the latest run of their onboarding workflow, where it falls in the
 * list's order, with the runs a reset left behind grouped on it; `total` counts users.
 */
export async function listTrials(client: Client, tenantId: string, p: TrialListParams) {
  const filter = trialFilter(p);
  // Read beside the page and the count, not after them (most often remembered: run-chains.server.ts).
  const chains = runChains(client, tenantId, TRIALS);
  const latest = latestRunsOnly(client, tenantId, chains);
  const pageWithUsers = sortedWorkflowPage(client, tenantId, { filter, buckets: p.sort === 'started' ? undefined : SORTS[p.sort], pageSize: p.size, cursor: p.cursor ?? null, keep: latest.keep })
    .then(async (page) => {
      const userIds = page.rows.map((r) => userIdFromOnboardingWorkflowId(r.workflowId) ?? r.workflowId);
      // One query for the whole page's names and emails, never one per row.
      const users = await trialUsersById(tenantId, userIds);
      return { page, users };
    });
  const [{ page, users }, total] = await Promise.all([pageWithUsers, countLatestRuns(client, tenantId, filter, chains, trialMatches(p))]);
  const byId = new Map(users.map((u) => [u.id, u]));
  return {
    total,
    nextCursor: page.nextCursor,
    rows: page.rows.map((r) => {
      const userId = userIdFromOnboardingWorkflowId(r.workflowId) ?? r.workflowId;
      const u = byId.get(userId);
      const runs = latest.runsOf(r);
      return {
        userId,
        workflowId: r.workflowId,
        name: u?.name ?? null,
        email: u?.email ?? null,
        phase: (r.searchAttributes.OnboardingPhase as string | undefined) ?? null,
        day: (r.searchAttributes.TrialDay as number | undefined) ?? null,
        subscribed: (r.searchAttributes.Subscribed as boolean | undefined) ?? null,
        /** The latest run's. */
        status: r.status,
        /** Runs of the workflow id: more than one after a reset. */
        runs: runs.length,
        /** The trial's first start: a reset's new run starts later. */
        startTime: runs.reduce((first, run) => (run.startTime < first ? run.startTime : first), r.startTime),
      };
    }),
  };
}

/**
 * These trial users of the tenant (the others are left out): a prepared statement on the Prisma
 * client's pool (pgPool), since the pages wait on it — the list after visibility answers, the trial
 * page before it asks the workflow's live status.
 */
export async function trialUsersById(tenantId: string, ids: readonly string[]) {
  const { rows } = await pgPool().query<{ id: string; name: string; email: string }>({
    name: 'vigie_trial_users_by_id',
    text: 'SELECT id, name, email FROM trial_users WHERE tenant_id = $1 AND id = ANY($2::text[])',
    values: [tenantId, ids],
  });
  return rows;
}

/** Case-insensitive prefix search on email, name (any word) or user id, within the tenant. */
export async function searchTrialUsers(tenantId: string, q: string, limit = 20) {
  const term = q.trim().toLowerCase();
  if (!term) return [];
  const like = `${likeLiteral(term)}%`;
  return db().$queryRaw<{ id: string; email: string; name: string; created_at: Date }[]>`
    SELECT id, email, name, created_at FROM trial_users
    WHERE tenant_id = ${tenantId}
      AND (lower(email) LIKE ${like} OR lower(id) LIKE ${like} OR lower(name) LIKE ${like} OR lower(name) LIKE ${`% ${like}`})
    ORDER BY lower(email) LIMIT ${limit}`;
}
