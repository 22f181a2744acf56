// How the console writes a point in time, in one place: in the operator's zone (stored per
// operator, app/preferences; UTC until their browser has sent its own), always the same text on
// the server and in the browser (no hydration mismatch) and always with the zone named. Pages
// use components/zoned-time.tsx's <Time> and useTimeZone(); these are the plain functions.

export type TimePrecision = 'second' | 'minute' | 'millisecond';

const LENGTH: Record<TimePrecision, number> = { minute: 16, second: 19, millisecond: 23 };

/** An instant (a Date or an ISO string) as "YYYY-MM-DD HH:MM:SS UTC", or to the minute or millisecond; null when there is none. */
export function utcTimestamp(at: Date | string | null | undefined, precision: TimePrecision = 'second'): string | null {
  if (!at) return null;
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, LENGTH[precision]).replace('T', ' ')} UTC`;
}

/** The same for a table cell or a detail line: "—" when there is no time. */
export const utc = (at: Date | string | null | undefined, precision: TimePrecision = 'second'): string => utcTimestamp(at, precision) ?? '—';

// ——— The operator's time zone ———
// An IANA zone, stored per operator (their browser's, sent once, then their choice): wall-clock
// inputs (datetime-local, dates) are read in it and instants are written in it, with the zone
// named. Intl alone does the arithmetic (no time-zone library, docs/decisions/130): the offset of
// a zone at an instant is read back from formatToParts.

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** An IANA zone name Intl knows ("Europe/Paris", "UTC"); anything else is false, never a throw. */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/.test(value)) return false;
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

/** A zone's canonical name as this server's Intl spells it ("europe/paris" → "Europe/Paris", "Etc/UTC" → "UTC"); call after isTimeZone. */
export function canonicalTimeZone(value: string): string {
  return formatterFor(value).resolvedOptions().timeZone;
}

interface WallParts { year: number; month: number; day: number; hour: number; minute: number; second: number }

function wallPartsAt(ms: number, timeZone: string): WallParts {
  const p: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

const wallMs = (w: WallParts) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds (Paris in winter: 3 600 000). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  return wallMs(wallPartsAt(Math.floor(ms / 1000) * 1000, timeZone)) - Math.floor(ms / 1000) * 1000;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A datetime-local value ("YYYY-MM-DDTHH:MM" or with ":SS") that names a real calendar time. */
export function isWallTime(value: string): boolean {
  const m = WALL_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second = 0] = m.slice(1).map((s) => (s === undefined ? 0 : Number(s)));
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

/**
 * The instant a wall-clock time names in a zone, as an ISO string. Around a DST change it does what
 * java.time and the TC39 Temporal proposal call "compatible": a time that happens twice (Paris,
 * last Sunday of October, 02:00–02:59) is its first occurrence; a time that never happens (last
 * Sunday of March, 02:00–02:59) is moved forward by the gap (02:30 → 03:30 summer time).
 */
export function wallTimeToInstant(wall: string, timeZone: string): string {
  const m = WALL_TIME.exec(wall);
  if (!m || !isWallTime(wall)) throw new Error(`not a wall-clock time: ${JSON.stringify(wall)}`);
  const [year, month, day, hour, minute, second = 0] = m.slice(1).map((s) => (s === undefined ? 0 : Number(s)));
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // A zone changes its offset at most once in two days: the offsets a day either side are the only candidates.
  const before = zoneOffsetMs(asUtc - 86_400_000, timeZone);
  const after = zoneOffsetMs(asUtc + 86_400_000, timeZone);
  const candidates = [...new Set([asUtc - before, asUtc - after])]
    .filter((t) => wallMs(wallPartsAt(t, timeZone)) === asUtc)
    .sort((a, b) => a - b);
  // No candidate: the time falls in a gap; reading it with the offset before the gap moves it forward.
  return new Date(candidates[0] ?? asUtc - before).toISOString();
}

/** An instant as the wall-clock time of a zone, "YYYY-MM-DDTHH:MM:SS" (a datetime-local value with step=1). */
export function instantToWallTime(at: Date | string, timeZone: string): string {
  const w = wallPartsAt(new Date(at).getTime(), timeZone);
  const pad = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** An instant as "YYYY-MM-DD HH:MM:SS Europe/Paris": the same text on the server and in the browser, zone named. */
export function zonedTimestamp(at: Date | string | null | undefined, timeZone: string, precision: TimePrecision = 'second'): string | null {
  if (!at) return null;
  if (timeZone === 'UTC') return utcTimestamp(at, precision);
  const wall = instantToWallTime(at, timeZone).replace('T', ' ');
  const ms = `.${String(((new Date(at).getTime() % 1000) + 1000) % 1000).padStart(3, '0')}`;
  return `${precision === 'millisecond' ? wall + ms : wall.slice(0, LENGTH[precision])} ${timeZone}`;
}

/** The same for a table cell: "—" when there is no time. */
export const zoned = (at: Date | string | null | undefined, timeZone: string, precision: TimePrecision = 'second'): string =>
  zonedTimestamp(at, timeZone, precision) ?? '—';

/** The first instant of a calendar day ("YYYY-MM-DD", as a date input sends it) in a zone. */
export function dayStartInstant(day: string, timeZone: string): Date {
  return new Date(wallTimeToInstant(`${day}T00:00`, timeZone));
}

/** The first instant after a calendar day in a zone (a day is 23 to 25 hours around a DST change). */
export function dayEndInstant(day: string, timeZone: string): Date {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return dayStartInstant(next, timeZone);
}

