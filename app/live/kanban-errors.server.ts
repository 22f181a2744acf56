// Reading a tenant's kanban save errors (seed case 3): grouped by board, target column and
// error; counted per hour; the latest ones with the board as the rollback left it.
import { z } from 'zod';
import { db } from '../server/db.server';

const RECENT_LIMIT = 100;
const empty = (v: unknown) => (v === '' || v === null ? undefined : v);

export const kanbanFilterSchema = z.object({
  board: z.preprocess(empty, z.string().max(100).optional()),
  kind: z.preprocess(empty, z.enum(['timeout', 'error']).optional()),
  hours: z.preprocess(empty, z.coerce.number().int().refine((h) => [6, 24, 48, 168].includes(h), 'expected 6, 24, 48 or 168').default(24)),
});
export type KanbanFilter = z.infer<typeof kanbanFilterSchema>;

export interface HourBucket {
  hour: string;
  error: number;
  timeout: number;
}

/** One bucket per hour of the window, empty hours included, so the chart's time axis is even. */
export async function saveErrorsPerHour(tenantId: string, hours: number, now = new Date(), boardId?: string): Promise<HourBucket[]> {
  const end = new Date(now);
  end.setUTCMinutes(0, 0, 0);
  const start = new Date(end.getTime() - (hours - 1) * 3600_000);
  const rows = await db().$queryRaw<{ hour: Date; kind: string; n: bigint }[]>`
    SELECT date_trunc('hour', at) AS hour, kind, count(*) AS n
    FROM kanban_save_errors
    WHERE tenant_id = ${tenantId} AND at >= ${start} AND (${boardId ?? null}::text IS NULL OR board_id = ${boardId ?? null})
    GROUP BY 1, 2`;
  const buckets = new Map<number, HourBucket>();
  for (let t = start.getTime(); t <= end.getTime(); t += 3600_000) {
    buckets.set(t, { hour: new Date(t).toISOString(), error: 0, timeout: 0 });
  }
  for (const r of rows) {
    const b = buckets.get(r.hour.getTime());
    if (b && (r.kind === 'error' || r.kind === 'timeout')) b[r.kind] += Number(r.n);
  }
  return [...buckets.values()];
}

export async function kanbanErrorsView(tenantId: string, f: KanbanFilter) {
  const since = new Date(Date.now() - f.hours * 3600_000);
  const where = { tenantId, at: { gte: since }, ...(f.board && { boardId: f.board }), ...(f.kind && { kind: f.kind }) };
  const [groups, recent, boards, perHour] = await Promise.all([
    db().kanbanSaveError.groupBy({
      by: ['boardId', 'toColumn', 'error', 'kind'],
      where,
      _count: { _all: true },
      _max: { at: true },
      orderBy: [{ boardId: 'asc' }, { toColumn: 'asc' }, { error: 'asc' }, { kind: 'asc' }],
    }),
    db().kanbanSaveError.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: RECENT_LIMIT }),
    db().kanbanSaveError.findMany({ where: { tenantId }, distinct: ['boardId'], select: { boardId: true }, orderBy: { boardId: 'asc' } }),
    saveErrorsPerHour(tenantId, f.hours, new Date(), f.board),
  ]);
  return {
    groups: groups.map((g) => ({ boardId: g.boardId, toColumn: g.toColumn, error: g.error, kind: g.kind, count: g._count._all, lastAt: g._max.at?.toISOString() ?? null })),
    recent: recent.map((r) => ({ ...r, id: String(r.id), at: r.at.toISOString(), receivedAt: r.receivedAt.toISOString() })),
    boards: boards.map((b) => b.boardId),
    perHour,
  };
}
