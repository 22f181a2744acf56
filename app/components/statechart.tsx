// A statechart drawn from an XState machine definition: nested boxes for compound states,
// regions side by side for parallel states, each state's transitions listed inside it, the
// active states highlighted. Walks machine.root, so it always matches the code that runs.
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { activeStateNodes } from '../../machines';

function eventLabel(eventType: string): string {
  const done = /^xstate\.done\.actor\.(.+)$/.exec(eventType);
  if (done) return `✓ ${done[1]}`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(eventType);
  if (error) return `✗ ${error[1]}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${/^\d+$/.test(after[1]) ? `${after[1]} ms` : after[1]}`;
  return eventType;
}

function guardLabel(guard: unknown): string | null {
  if (!guard) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const inner = (guard as { guards?: unknown[] }).guards;
    if (Array.isArray(inner)) return inner.map(guardLabel).join(' ∧ ');
    return guard.name || 'guard';
  }
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return null;
}

interface TransitionView {
  event: string;
  guard: string | null;
  targets: string[];
}

function transitionsOf(node: AnyStateNode): TransitionView[] {
  const out: TransitionView[] = [];
  for (const [eventType, defs] of node.transitions) {
    for (const t of defs) {
      out.push({
        event: eventLabel(eventType),
        guard: guardLabel(t.guard),
        targets: (t.target ?? []).map((target: AnyStateNode) => target.key),
      });
    }
  }
  return out;
}

function StateBox({ node, active, initial }: { node: AnyStateNode; active: Set<string>; initial: boolean }) {
  const children = Object.values(node.states) as AnyStateNode[];
  const isActive = active.has(node.id);
  const transitions = transitionsOf(node);
  const initialKey = node.type === 'compound' ? (node.config.initial as string | undefined) : undefined;
  const invokes = node.invoke.map((i: { src: unknown }) => (typeof i.src === 'string' ? i.src : 'acteur'));
  return (
    <div
      className={`sc-node sc-${node.type}${isActive ? ' sc-active' : ''}`}
      data-state-id={node.id}
      data-active={isActive ? 'true' : undefined}
      role="group"
      aria-label={`${node.key}${isActive ? ' (active)' : ''}`}
    >
      <div className="sc-head">
        {initial && <span className="sc-initial" title="initial state">●</span>}
        <b>{node.key}</b>
        {node.type === 'parallel' && <span className="sc-kind">parallel</span>}
        {node.tags.map((t: string) => (
          <span key={t} className="sc-tag">{t}</span>
        ))}
      </div>
      {invokes.length > 0 && <div className="sc-invoke">invoke: {invokes.join(', ')}</div>}
      {transitions.length > 0 && (
        <ul className="sc-transitions">
          {transitions.map((t, i) => (
            <li key={i}>
              <code>{t.event}</code>
              {t.guard && <span className="sc-guard"> [{t.guard}]</span>}
              {t.targets.length > 0 ? <> → {t.targets.join(', ')}</> : <span className="muted"> (reste)</span>}
            </li>
          ))}
        </ul>
      )}
      {children.length > 0 && (
        <div className={node.type === 'parallel' ? 'sc-regions' : 'sc-children'}>
          {children.map((c) => (
            <StateBox key={c.id} node={c} active={active} initial={c.key === initialKey} />
          ))}
        </div>
      )}
    </div>
  );
}

export function activeIds(machine: AnyStateMachine, value: unknown): Set<string> {
  try {
    return new Set([machine.root.id, ...activeStateNodes(machine, value).map((n) => n.id)]);
  } catch {
    // A value from another machine version: draw the chart with nothing highlighted.
    return new Set();
  }
}

export function Statechart({ machine, value, testId }: { machine: AnyStateMachine; value: unknown; testId?: string }) {
  const active = activeIds(machine, value);
  return (
    <div className="statechart" data-testid={testId}>
      <StateBox node={machine.root} active={active} initial={false} />
    </div>
  );
}
