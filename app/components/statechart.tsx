// A statechart drawn from an XState machine definition: nested boxes for compound states,
// regions side by side for parallel states, each state's transitions listed inside it, the
// active states highlighted. Walks machine.root, so it always matches the code that runs.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useId } from 'react';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { activeStateNodes } from '../../machines';

type WorkflowsT = TFunction<'workflows'>;

function eventLabel(eventType: string, t: WorkflowsT): string {
  const done = /^xstate\.done\.actor\.(.+)$/.exec(eventType);
  if (done) return `✓ ${done[1]}`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(eventType);
  if (error) return `✗ ${error[1]}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return t('statechart.after', { delay: /^\d+$/.test(after[1]) ? `${after[1]} ms` : after[1] });
  return eventType;
}

function guardLabel(guard: unknown, t: WorkflowsT): string | null {
  if (!guard) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const inner = (guard as { guards?: unknown[] }).guards;
    if (Array.isArray(inner)) return inner.map((g) => guardLabel(g, t)).join(' ∧ ');
    return guard.name || t('statechart.guard');
  }
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return null;
}

interface TransitionView {
  event: string;
  guard: string | null;
  targets: string[];
}

function transitionsOf(node: AnyStateNode, t: WorkflowsT): TransitionView[] {
  const out: TransitionView[] = [];
  for (const [eventType, defs] of node.transitions) {
    for (const def of defs) {
      out.push({
        event: eventLabel(eventType, t),
        guard: guardLabel(def.guard, t),
        targets: (def.target ?? []).map((target: AnyStateNode) => target.key),
      });
    }
  }
  return out;
}

function StateBox({ node, active, initial }: { node: AnyStateNode; active: Set<string>; initial: boolean }) {
  const { t } = useTranslation('workflows');
  const children = Object.values(node.states) as AnyStateNode[];
  const isActive = active.has(node.id);
  const transitions = transitionsOf(node, t);
  const initialKey = node.type === 'compound' ? (node.config.initial as string | undefined) : undefined;
  const headId = useId();
  const invokes = node.invoke.map((i: { src: unknown }) => (typeof i.src === 'string' ? i.src : t('statechart.actor')));
  return (
    <div
      className={`sc-node sc-${node.type}${isActive ? ' sc-active' : ''}`}
      data-state-id={node.id}
      data-active={isActive ? 'true' : undefined}
      role="group"
      aria-labelledby={headId}
    >
      {/* Named by its head: the state's key (a wire name, never translated) and, when active, the word. */}
      <div className="sc-head" id={headId}>
        {initial && <span className="sc-initial" title={t('statechart.initial')}>●</span>}
        <b translate="no">{node.key}</b>
        {isActive && <span className="sr-only">{t('statechart.active')}</span>}
        {node.type === 'parallel' && <span className="sc-kind">{t('statechart.parallel')}</span>}
        {node.tags.map((tag: string) => (
          <span key={tag} className="sc-tag" translate="no">{tag}</span>
        ))}
      </div>
      {invokes.length > 0 && <div className="sc-invoke">{t('statechart.invoke', { actors: invokes.join(', ') })}</div>}
      {transitions.length > 0 && (
        <ul className="sc-transitions">
          {transitions.map((tr, i) => (
            <li key={i}>
              <code>{tr.event}</code>
              {tr.guard && <span className="sc-guard" translate="no"> [{tr.guard}]</span>}
              {tr.targets.length > 0 ? <> → <span translate="no">{tr.targets.join(', ')}</span></> : <span className="muted">{t('statechart.stays')}</span>}
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
