// Demo kanban board: machineDragAndDropKanban itself, driven by HTML5 drag events
// (COMMENCER / SURVOL / QUITTER / DÉPOSER / ANNULER), its save actor pointed at a demo
// endpoint that fails, hangs or loses its answer on request, and its re-read after a save
// timeout at the same endpoint; save errors are reported to Vigie. The server keeps the moves it
// applied per page (board id = the page's session), so a reload starts from INITIAL_BOARD again.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useActorRef, useSelector } from '@xstate/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { colonneAccepteCarte, createKanbanActors, createReporter, machineDragAndDropKanban, type Colonne, type Reporter } from '../../machines';
import { DemoShell, useReporterStats } from '~/components/demo-shell';
import styles from '~/components/ingest.css';
import { Statechart } from '~/components/statechart';
import { demoApiKey, requireDemoAccess } from '~/ingest/demo.server';
import { DEMO_SAVE_FAULTS, statePaths, type DemoSaveFault } from '~/ingest/labels';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = () => [{ title: 'Demo board · Vigie' }];

const BOARD_ID = 'demo-board';
const DEMO_SAVE_TIMEOUT_MS = 2_000;

const INITIAL_BOARD: Colonne[] = [
  { id: 'todo', titre: 'À faire', cartes: [1, 2, 3, 4].map((n) => ({ id: `carte-${n}`, titre: `Tâche ${n}` })) },
  // Full on purpose: its limit is 2 and it holds 2 cards, so it refuses any other card.
  { id: 'doing', titre: 'En cours', limite: 2, cartes: [5, 6].map((n) => ({ id: `carte-${n}`, titre: `Tâche ${n}` })) },
  { id: 'review', titre: 'Revue', cartes: [{ id: 'carte-7', titre: 'Tâche 7' }] },
  { id: 'done', titre: 'Fait', limite: null, cartes: [] },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireDemoAccess(request, params.tenantId);
  const apiKey = await demoApiKey(ctx);
  return json({ tenantId: ctx.tenantId, tenantName: ctx.tenantName, apiKey, keyPrefix: apiKey.slice(0, apiKey.length - 35) });
}

/** Where among the column's cards (the dragged one left out) the pointer is. */
function dropIndex(e: DragEvent<HTMLElement>, draggedId: string | null): number {
  const cards = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-card-id]')].filter((el) => el.dataset.cardId !== draggedId);
  const i = cards.findIndex((el) => {
    const r = el.getBoundingClientRect();
    return e.clientY < r.top + r.height / 2;
  });
  return i === -1 ? cards.length : i;
}

const FAULT_LABELS: Record<DemoSaveFault, string> = {
  none: 'succeed',
  error: 'fail (HTTP 500)',
  hang: `hang, not applied (timeout after ${DEMO_SAVE_TIMEOUT_MS / 1000} s)`,
  lost_answer: `applied, answer lost (timeout after ${DEMO_SAVE_TIMEOUT_MS / 1000} s)`,
};

export default function DemoBoard() {
  const d = useLoaderData<typeof loader>();
  const fault = useRef<DemoSaveFault>('none');
  const [faultShown, setFaultShown] = useState<DemoSaveFault>('none');
  const [sessionId] = useState(() => `board-${Math.random().toString(36).slice(2, 10)}`);
  const machine = useMemo(() => {
    const url = (carteId: string, query: Record<string, string>) =>
      `/demo/${d.tenantId}/api/move/${encodeURIComponent(carteId)}?${new URLSearchParams({ board: sessionId, ...query })}`;
    return machineDragAndDropKanban.provide({
      actors: createKanbanActors({
        urlDéplacement: (carteId) => url(carteId, fault.current === 'none' ? {} : { fault: fault.current }),
        urlPosition: (carteId) => url(carteId, {}),
      }),
      // Shorter than the production 10 s so a hanging save is visible in a demo.
      delays: { délaiSauvegarde: DEMO_SAVE_TIMEOUT_MS },
    });
  }, [d.tenantId, sessionId]);
  const actor = useActorRef(machine, { input: { colonnes: INITIAL_BOARD } });
  const snapshot = useSelector(actor, (s) => s);
  const reporter = useRef<Reporter<'kanban'> | null>(null);

  useEffect(() => {
    const r = createReporter({ endpoint: '/api/v1/kanban-errors', apiKey: d.apiKey, source: 'kanban', sessionId, flushIntervalMs: 200 });
    r.attach(actor, { boardId: BOARD_ID });
    reporter.current = r;
    return () => {
      void r.stop();
      reporter.current = null;
    };
  }, [actor, d.apiKey, sessionId]);
  const stats = useReporterStats(useCallback(() => reporter.current?.stats() ?? null, []));

  const c = snapshot.context;
  const [hovered, setHovered] = useState<string | null>(null);
  const lastSurvol = useRef('');

  const onDragOver = (e: DragEvent<HTMLElement>, colonneId: string) => {
    // Always accept the drop here: a refused column gets DÉPOSER in glissement, which moves nothing.
    e.preventDefault();
    setHovered(colonneId);
    const indexCible = dropIndex(e, c.carteGlissée);
    const k = `${colonneId}:${indexCible}`;
    if (k === lastSurvol.current) return;
    lastSurvol.current = k;
    actor.send({ type: 'SURVOL', colonneId, indexCible });
  };
  const onDragLeave = (e: DragEvent<HTMLElement>) => {
    if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
    setHovered(null);
    lastSurvol.current = '';
    if (snapshot.matches('survol')) actor.send({ type: 'QUITTER' });
  };
  const endDrag = () => {
    setHovered(null);
    lastSurvol.current = '';
  };

  return (
    <DemoShell title="Demo board (TeamBoard)" tenantId={d.tenantId} tenantName={d.tenantName} keyPrefix={d.keyPrefix}
      consoleLink={`/t/${d.tenantId}/kanban`} stats={stats}>
      <div className="grid2">
        <section className="card demo-controls" aria-label="Fault injection">
          <h2 style={{ marginTop: 0 }}>Controls</h2>
          <label>Next saves
            <select data-testid="save-fault" value={faultShown} onChange={(e) => { fault.current = e.target.value as DemoSaveFault; setFaultShown(fault.current); }}>
              {DEMO_SAVE_FAULTS.map((f) => <option key={f} value={f}>{FAULT_LABELS[f]}</option>)}
            </select>
          </label>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>State <code data-testid="demo-state">{statePaths(snapshot.value).join(' | ')}</code></h2>
          {c.erreurSauvegarde && <p className="error" role="alert" data-testid="save-error">Sauvegarde annulée : {c.erreurSauvegarde}</p>}
        </section>
      </div>
      <div className="board" data-testid="board">
        {c.colonnes.map((col) => {
          const full = !colonneAccepteCarte(c.colonnes, null, col.id);
          const refused = hovered === col.id && c.carteGlissée !== null && !colonneAccepteCarte(c.colonnes, c.colonneOriginale, col.id);
          const target = snapshot.matches('survol') && c.colonneCible === col.id;
          return (
            <section key={col.id} data-column-id={col.id} data-testid={`column-${col.id}`} aria-label={col.titre}
              className={`board-column${full ? ' full' : ''}${refused ? ' refused' : ''}${target ? ' target' : ''}`}
              onDragOver={(e) => onDragOver(e, col.id)} onDragLeave={onDragLeave}
              onDrop={(e) => { e.preventDefault(); endDrag(); actor.send({ type: 'DÉPOSER' }); }}>
              <h3>{col.titre} <span className="muted">{col.cartes.length}{col.limite !== null ? ` / ${col.limite ?? 20}` : ''}</span></h3>
              {col.cartes.map((card, index) => (
                <div key={card.id} data-card-id={card.id} data-testid={card.id} draggable={snapshot.matches('repos')}
                  className={`board-card${c.carteGlissée === card.id ? ' dragging' : ''}`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData('text/plain', card.id);
                    e.dataTransfer.effectAllowed = 'move';
                    actor.send({ type: 'COMMENCER', carteId: card.id, colonneId: col.id, index });
                  }}
                  onDragEnd={() => {
                    endDrag();
                    // No drop happened (Escape, or released outside a column): the drag is cancelled.
                    const s = actor.getSnapshot();
                    if (s.matches('glissement') || s.matches('survol')) actor.send({ type: 'ANNULER' });
                  }}>
                  {card.titre}
                </div>
              ))}
            </section>
          );
        })}
      </div>
      <section className="card" style={{ marginTop: '1rem' }}>
        <h2 style={{ marginTop: 0 }}>Statechart</h2>
        <Statechart machine={machineDragAndDropKanban} value={snapshot.value} testId="demo-statechart" />
      </section>
    </DemoShell>
  );
}
