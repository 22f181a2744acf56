// Form fields that several actions ask for, declared once so that each is checked, trimmed and
// refused with the same words everywhere. Plain zod, no server code: a page may reuse them.
import { z } from 'zod';
import { parseEurosToCents } from '../../finance/euros';
import { canonicalTimeZone, isTimeZone } from '../components/time';
import { LANGUAGES } from '../preferences/languages';
import { ROLES } from './permissions';
import { common as words } from '../i18n/locales/en/common';

const REASON_MAX = 500;
// The messages are the English resources' (translated when a refusal is written, i18n/known-message.ts).
const REASON_REQUIRED = words.field.reasonRequired;

/** The reason an operator gives for a change to money or workflows: at least 3 characters. */
export const reasonRequired = z
  .string({ required_error: REASON_REQUIRED })
  .trim()
  .min(3, REASON_REQUIRED)
  .max(REASON_MAX, words.field.reasonTooLong);

/** A reason the operator may leave out: null when blank. */
export const reasonOptional = z
  .string()
  .trim()
  .max(REASON_MAX, words.field.reasonTooLong)
  .optional()
  .transform((v) => v || null);

/** A staff member's email address, as stored: trimmed and lower-cased. */
export const email = z.string().trim().toLowerCase().email(words.field.email).max(254);

export const role = z.enum(ROLES, { errorMap: () => ({ message: words.field.role }) });

/** An IANA time zone name Intl knows ("Europe/Paris", "UTC"), as Intl spells it (the zone lists and PostgreSQL's AT TIME ZONE agree on it). */
export const timeZone = z
  .string({ required_error: words.field.timeZoneRequired })
  .trim()
  .refine(isTimeZone, words.field.timeZone)
  .transform(canonicalTimeZone);

export const language = z.enum(LANGUAGES, { errorMap: () => ({ message: words.field.language }) });

/** An amount typed in euros ("12", "12.5", "12,50"), as integer cents; `positive` refuses 0. */
function eurosField(positive: boolean) {
  const message = positive ? words.field.positiveEuros : words.field.euros;
  return z.string().transform((v, ctx) => {
    const cents = parseEurosToCents(v);
    if (cents === null || (positive && cents <= 0)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    }
    return cents;
  });
}
export const euros = eurosField(false);
export const positiveEuros = eurosField(true);

// ——— Dates and times ———
// The span a date or time typed into the console may name: 1970-01-01 to 9999-12-31 (UTC). Past
// 9999 an ISO date needs a sign and six digits (+010000-…), which Temporal's visibility queries
// refuse, as they refuse negative years; JavaScript itself stops at +275760. Nothing the console
// shows is older than 1970.
export const DATE_MIN = '1970-01-01';
export const DATE_MAX = '9999-12-31';
export const DATE_RANGE = `between ${DATE_MIN} and ${DATE_MAX}`;
const MIN_MS = Date.parse(`${DATE_MIN}T00:00:00Z`);
const MAX_MS = Date.parse(`${DATE_MAX}T23:59:59.999Z`);
/** A zone's offset from UTC is at most 14 hours: a day of margin keeps a time read in any zone in the span. */
export const ZONE_MARGIN_MS = 86_400_000;

/** An instant (ms since the epoch) in the span; `marginMs` keeps a time still to be read in a zone inside it. */
export function inDateRange(ms: number, marginMs = 0): boolean {
  return Number.isFinite(ms) && ms >= MIN_MS + marginMs && ms <= MAX_MS - marginMs;
}

// A real calendar day: 2026-02-30 parses (as 2 March) and 2026-13-01 not at all, so compare the round trip.
const isDay = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
};

/** A whole UTC day typed as YYYY-MM-DD (a date input's value), from DATE_MIN to DATE_MAX; absent when blank. */
export const day = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined)
  .refine((v) => v === undefined || isDay(v), { message: words.field.day })
  .refine((v) => v === undefined || !isDay(v) || inDateRange(Date.parse(`${v}T00:00:00Z`)), { message: words.field.dayRange });

/** With `.refine(...dayRange)` on an object of `from` and `to` days: a period cannot end before it starts. */
export const dayRange: [(p: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [
  (p) => !p.from || !p.to || p.from <= p.to,
  { message: words.field.fromAfterTo, path: ['from'] },
];
