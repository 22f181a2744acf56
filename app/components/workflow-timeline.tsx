// A run's timeline: one row per activity, timer, signal or child workflow, each drawn as a bar
// over the run's time span (a signal as a tick). An open timer's bar reaches the time it fires —
// the sleep until the next step — hatched for the part still to come. Plain HTML and CSS: the bars
// stay readable at phone width and each row is also a sentence for screen readers.
import { useTranslation } from 'react-i18next';
import type { workflows as en } from '~/i18n/locales/en/workflows';
import { formatDuration } from './workflow-diagnosis';
import { zoned } from './time';

export interface SpanView {
  id: string;
  kind: string;
  label: string;
  start: string;
  end: string | null;
  plannedEnd: string | null;
  outcome: string;
  attempt: number | null;
  detail: string | null;
}

export interface TimelineView {
  spans: SpanView[];
  from: string;
  to: string;
  eventsRead: number;
  truncated: boolean;
}

const TICKS = 4;

/** A span's outcome, as the server names it (timeline.server.ts SpanOutcome, a closed set) and the CSS classes use it. */
type Outcome = keyof typeof en.timeline.outcomes;

export function WorkflowTimeline({ timeline, now, tz }: { timeline: TimelineView; now: string; tz: string }) {
  const { t } = useTranslation('workflows');
  const from = Date.parse(timeline.from);
  const span = Math.max(1, Date.parse(timeline.to) - from);
  const pct = (t: number) => `${(Math.min(Math.max(t - from, 0), span) / span) * 100}%`;
  const nowMs = Date.parse(now);
  if (timeline.spans.length === 0) return <p className="muted">{t('timeline.noEvent')}</p>;
  return (
    <div data-testid="history-timeline">
      {timeline.truncated && <p className="muted">{t('timeline.truncated', { count: timeline.eventsRead })}</p>}
      <div className="tl-axis" aria-hidden="true">
        {Array.from({ length: TICKS + 1 }, (_, i) => (
          <span key={i} style={{ left: `${(i / TICKS) * 100}%` }}>{zoned(new Date(from + (span * i) / TICKS).toISOString(), tz)}</span>
        ))}
      </div>
      <ol className="tl" aria-label={t('timeline.label')}>
        {timeline.spans.map((s) => {
          const start = Date.parse(s.start);
          const end = s.end ? Date.parse(s.end) : Math.min(nowMs, s.plannedEnd ? Date.parse(s.plannedEnd) : nowMs);
          const planned = s.plannedEnd ? Date.parse(s.plannedEnd) : null;
          const outcome = t(`timeline.outcomes.${s.outcome as Outcome}`);
          const sentence = s.kind === 'signal'
            ? t('timeline.signal', { label: s.label, at: zoned(s.start, tz) })
            : t('timeline.span', { label: s.label, outcome }) + (s.attempt && s.attempt > 1 ? t('timeline.attempt', { attempt: s.attempt }) : '') + t('timeline.from', { at: zoned(s.start, tz) })
              + (s.end ? t('timeline.to', { at: zoned(s.end, tz), duration: formatDuration(end - start, t('units.day')) }) : planned ? t('timeline.sleeps', { at: zoned(s.plannedEnd, tz) }) : t('timeline.stillRunning'));
          return (
            <li key={s.id} className={`tl-row ${s.kind} ${s.outcome.replace(' ', '-')}`} data-testid="timeline-span" data-kind={s.kind} data-outcome={s.outcome}>
              <span className="tl-label">{sentence}{s.detail && s.kind !== 'signal' ? <span className="muted"> — {s.detail}</span> : null}</span>
              <span className="tl-track" aria-hidden="true">
                {s.kind === 'signal' ? <span className="tl-tick" style={{ left: pct(start) }} />
                  : <span className="tl-bar" style={{ left: pct(start), width: `max(3px, calc(${pct(end)} - ${pct(start)}))` }} />}
                {planned && !s.end && <span className="tl-bar planned" style={{ left: pct(end), width: `calc(${pct(planned)} - ${pct(end)})` }} />}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
