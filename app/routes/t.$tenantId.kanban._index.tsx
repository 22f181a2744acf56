// Kanban save errors (seed case 3): how many, where and why saves failed or timed out, per
// hour, and each error with the card, its target and the board as the rollback left it.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { HourlyErrorsChart } from '~/components/hourly-chart';
import styles from '~/components/ingest.css';
import { LiveBadge, useLiveData } from '~/components/live';
import { Time } from '~/components/zoned-time';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { kanbanErrorsView, kanbanFilterSchema } from '~/live/kanban-errors.server';
import { pageTitle } from '~/i18n/fixed-t';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'live', (t) => t('kanban.title')) }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const filter = parseSearch(request, kanbanFilterSchema);
  return json({ tenantId: ctx.tenantId, filter, ...(await kanbanErrorsView(ctx.tenantId, filter)) });
}

type Recent = ReturnType<typeof useLoaderData<typeof loader>>['recent'][number];
interface BoardColumn { id: string; titre: string; limite?: number | null; cartes: { id: string; titre: string }[] }

function BoardAfter({ e }: { e: Recent }) {
  const board = e.boardAfter as unknown as BoardColumn[];
  return (
    <div className="mini-board">
      {board.map((c) => (
        <div key={c.id}>
          <b>{c.titre}</b> <span className="muted">({c.cartes.length}{c.limite != null ? ` / ${c.limite}` : ''})</span>
          <ol start={0}>
            {c.cartes.map((card) => <li key={card.id} className={card.id === e.cardId ? 'moved' : undefined}>{card.titre}</li>)}
          </ol>
        </div>
      ))}
    </div>
  );
}

export default function KanbanErrors() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation('live');
  const kindWord = (kind: string) => (kind === 'error' || kind === 'timeout' ? t(`kanban.kind.${kind}`) : kind);
  const { live } = useLiveData(`/t/${d.tenantId}/checkouts/stream?kinds=kanban`);
  const total = d.perHour.reduce((n, p) => n + p.error + p.timeout, 0);
  const timeouts = d.perHour.reduce((n, p) => n + p.timeout, 0);
  let lastBoard = '';
  return (
    <main className="page">
      <h1>{t('kanban.title')} <LiveBadge live={live} /></h1>
      <Form method="get" className="filters">
        <label>{t('kanban.filter.board')}<select name="board" defaultValue={d.filter.board ?? ''}><option value="">{t('all')}</option>{d.boards.map((b) => <option key={b}>{b}</option>)}</select></label>
        <label>{t('kanban.filter.kind')}<select name="kind" defaultValue={d.filter.kind ?? ''}><option value="">{t('any')}</option><option value="error">{kindWord('error')}</option><option value="timeout">{kindWord('timeout')}</option></select></label>
        <label>{t('kanban.filter.window')}<select name="hours" defaultValue={String(d.filter.hours)}>{[6, 24, 48, 168].map((h) => <option key={h} value={h}>{t('kanban.filter.lastHours', { hours: h })}</option>)}</select></label>
        <button type="submit">{t('apply')}</button>
      </Form>
      <section className="card">
        <div className="stat"><b data-testid="rollback-total">{total}</b>{t('kanban.rollbacks')}</div>
        <div className="stat"><b data-testid="timeout-total">{timeouts}</b>{t('kanban.ofThemTimeouts')}</div>
        <HourlyErrorsChart data={d.perHour} />
      </section>
      <h2>{t('kanban.byGroup')}</h2>
      {d.groups.length === 0 ? <p className="muted">{t('kanban.noError')}</p> : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="error-groups">
            <thead><tr>{(['board', 'targetColumn', 'error', 'kind', 'count', 'last'] as const).map((c) => <th key={c}>{t(`kanban.column.${c}`)}</th>)}</tr></thead>
            <tbody>
              {d.groups.map((g) => {
                const first = g.boardId !== lastBoard;
                lastBoard = g.boardId;
                return (
                  <tr key={`${g.boardId}|${g.toColumn}|${g.error}|${g.kind}`}>
                    <td>{first ? <b>{g.boardId}</b> : ''}</td>
                    <td>{g.toColumn}</td>
                    <td className="error">{g.error}</td>
                    <td><span className="badge">{kindWord(g.kind)}</span></td>
                    <td>{g.count}</td>
                    <td>{g.lastAt ? <Time at={g.lastAt} /> : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('kanban.latest')}</h2>
      {d.recent.length === 0 ? <p className="muted">{t('kanban.none')}</p> : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="recent-errors">
            <thead><tr>{(['at', 'board', 'card', 'fromTo', 'error', 'boardAfter'] as const).map((c) => <th key={c}>{t(`kanban.column.${c}`)}</th>)}</tr></thead>
            <tbody>
              {d.recent.map((e) => (
                <tr key={e.id} data-card={e.cardId}>
                  <td><Time at={e.at} /></td>
                  <td>{e.boardId}</td>
                  <td><code>{e.cardId}</code></td>
                  <td>{e.fromColumn}{e.originalIndex !== null ? ` #${e.originalIndex}` : ''} → {e.toColumn} #{e.targetIndex}</td>
                  <td><span className="badge">{kindWord(e.kind)}</span> <span className="error">{e.error}</span></td>
                  <td><details><summary>{t('kanban.show')}</summary><BoardAfter e={e} /></details></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
