// How the console writes a point in time, in one place. Today: UTC, the same text on the server
// and in every browser (no hydration mismatch); the operator's time zone will be applied here.

export type TimePrecision = 'second' | 'minute';

/** An instant (a Date or an ISO string) as "YYYY-MM-DD HH:MM:SS UTC", or to the minute; null when there is none. */
export function utcTimestamp(at: Date | string | null | undefined, precision: TimePrecision = 'second'): string | null {
  if (!at) return null;
  const iso = typeof at === 'string' ? at : at.toISOString();
  return `${iso.slice(0, precision === 'minute' ? 16 : 19).replace('T', ' ')} UTC`;
}

/** The same for a table cell or a detail line: "—" when there is no time. */
export const utc = (at: Date | string | null | undefined, precision: TimePrecision = 'second'): string => utcTimestamp(at, precision) ?? '—';
