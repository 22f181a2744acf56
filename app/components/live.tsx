// Keeps a page's loader data fresh: an EventSource on the tenant's ingestion stream, and a
// revalidation after each write (one at a time; writes during one trigger a single next one).
// While the stream is down it falls back to polling, so the page never goes stale silently.
import { useRevalidator } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const FALLBACK_POLL_MS = 2_000;

export function useLiveData(streamUrl: string): { live: boolean } {
  const { revalidate, state } = useRevalidator();
  const [live, setLive] = useState(false);
  const wanted = useRef(false);
  const busy = useRef(false);
  const revalidateRef = useRef(revalidate);
  revalidateRef.current = revalidate;

  useEffect(() => {
    busy.current = state !== 'idle';
    if (!busy.current && wanted.current) {
      wanted.current = false;
      revalidateRef.current();
    }
  }, [state]);

  useEffect(() => {
    const request = () => {
      if (busy.current) wanted.current = true;
      else {
        busy.current = true;
        revalidateRef.current();
      }
    };
    const source = new EventSource(streamUrl);
    let poll: ReturnType<typeof setInterval> | null = null;
    const stopPolling = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };
    source.addEventListener('ready', () => {
      setLive(true);
      stopPolling();
      // Anything written while the stream was down.
      request();
    });
    source.addEventListener('checkout', request);
    source.addEventListener('kanban', request);
    source.onerror = () => {
      setLive(false);
      poll ??= setInterval(request, FALLBACK_POLL_MS);
    };
    return () => {
      source.close();
      stopPolling();
    };
  }, [streamUrl]);

  return { live };
}

/**
 * The current time, ticking every `ms`: durations and "stuck" highlights move on without new
 * data. The first render uses the server's time so the hydrated HTML matches the server's.
 */
export function useNow(serverNow: number, ms = 1_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function LiveBadge({ live }: { live: boolean }) {
  const { t } = useTranslation('live');
  return (
    <span className="muted" data-testid="live-status" data-live={live ? 'on' : 'off'}>
      <span className={`live-dot${live ? ' on' : ''}`} />
      {live ? t('badge.live') : t('badge.reconnecting')}
    </span>
  );
}

/** A duration in the operator's language (t of the `live` namespace): "12 s", "3 min 4 s", "2 h 5 min", "3 d". */
export function formatDuration(ms: number, t: TFunction<'live'>): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('duration.seconds', { s });
  if (s < 3600) return t('duration.minutes', { m: Math.floor(s / 60), s: s % 60 });
  if (s < 86_400) return t('duration.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  return t('duration.days', { d: Math.floor(s / 86_400) });
}
