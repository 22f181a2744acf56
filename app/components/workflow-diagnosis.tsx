// The workflow page's diagnosis panels: a failure and its causes, a decoded value, the event
// history (business view and full list), the task queue's pollers and the pending activities.
// Times are written in the operator's zone, with the zone named.
import { useTranslation } from 'react-i18next';
import { zoned } from './time';

export interface FailureLinkView {
  message: string;
  type: string;
  source: string | null;
  stackTrace: string | null;
  detail: string | null;
}

export function FailureChain({ chain, testId }: { chain: FailureLinkView[]; testId?: string }) {
  const { t } = useTranslation('workflows');
  return (
    <ol className="plain" data-testid={testId}>
      {chain.map((f, i) => (
        <li key={i} style={{ marginBottom: '.5rem', paddingLeft: `${i}rem` }}>
          {i > 0 && <span className="muted">{t('diagnosis.causedBy')}</span>}
          <b>{f.type}</b>: <span className="error">{f.message || t('diagnosis.noMessage')}</span>
          {f.detail && <span className="muted"> — {f.detail}</span>}
          {f.stackTrace && (
            <details>
              <summary>{t('diagnosis.stackTrace')}{f.source ? ` (${f.source})` : ''}</summary>
              <pre className="scroll" tabIndex={0} style={{ fontSize: '.8rem' }}>{f.stackTrace}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}

export function Value({ value, testId }: { value: unknown; testId?: string }) {
  return <pre className="scroll" tabIndex={0} data-testid={testId} style={{ margin: 0, fontSize: '.85rem', maxHeight: '24rem' }}>{JSON.stringify(value, null, 2)}</pre>;
}

export interface EventRowView {
  eventId: number;
  time: string | null;
  type: string;
  category: string;
  summary: string | null;
  problem: boolean;
  attributes?: unknown;
}

export function BusinessHistory({ events, tz }: { events: EventRowView[]; tz: string }) {
  const { t } = useTranslation('workflows');
  const named = events.filter((e) => e.summary);
  if (named.length === 0) return <p className="muted">{t('diagnosis.onlyBookkeeping')}</p>;
  return (
    <ol className="timeline" data-testid="history-business">
      {named.map((e) => (
        <li key={e.eventId} className={e.problem ? 'failed' : e.type.endsWith('Completed') || e.type === 'TimerFired' ? 'sent' : undefined}>
          <time dateTime={e.time ?? undefined} className="muted">{e.time ? zoned(e.time, tz) : '—'}</time>{' '}
          <span className="muted">#{e.eventId}</span> {e.summary}
        </li>
      ))}
    </ol>
  );
}

export function EventList({ events, tz }: { events: EventRowView[]; tz: string }) {
  const { t } = useTranslation('workflows');
  return (
    <div className="scroll" tabIndex={0}>
      <table className="data" data-testid="history-events">
        <thead><tr><th className="num">#</th><th>{t('diagnosis.time')}</th><th>{t('diagnosis.event')}</th><th>{t('diagnosis.attributes')}</th></tr></thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.eventId} className={e.problem ? 'error' : undefined}>
              <td className="num">{e.eventId}</td>
              <td><time dateTime={e.time ?? undefined}>{e.time ? zoned(e.time, tz) : '—'}</time></td>
              <td>{e.type}{e.summary && <div className="muted">{e.summary}</div>}</td>
              <td>
                <details>
                  <summary>{t('diagnosis.attributesToggle')}</summary>
                  <Value value={e.attributes} />
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface PollerView { identity: string; kind: string; lastAccessTime: string | null; ratePerSecond: number | null }

export function Pollers({ pollers, tz }: { pollers: PollerView[]; tz: string }) {
  const { t } = useTranslation('workflows');
  if (pollers.length === 0) return <p className="muted">{t('diagnosis.noPoller')}</p>;
  return (
    <div className="scroll" tabIndex={0}>
      <table className="data" data-testid="pollers">
        <thead><tr><th>{t('diagnosis.workerIdentity')}</th><th>{t('diagnosis.pollsFor')}</th><th>{t('diagnosis.lastAccess')}</th></tr></thead>
        <tbody>
          {pollers.map((p) => (
            <tr key={`${p.kind}:${p.identity}`}>
              <td><code>{p.identity}</code></td>
              <td>{p.kind === 'workflow' ? t('diagnosis.workflowTasks') : t('diagnosis.activityTasks')}</td>
              <td><time dateTime={p.lastAccessTime ?? undefined}>{p.lastAccessTime ? zoned(p.lastAccessTime, tz) : '—'}</time></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A duration in words: "2 h 05 min", "3.4 s"; `day` is the day's abbreviation in the operator's language (`workflows:units.day`). */
export function formatDuration(ms: number, day: string): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} ${day} ${hours % 24} h`;
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
