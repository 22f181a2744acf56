// HTTP plumbing every route shares: the one-line 404/403, the same-origin check, and the two
// parsers of what a request carries — a form (actions) and a query string (loaders) — each with
// one way to refuse bad input: a 400 whose message names the bad field.
import { json } from '@remix-run/node';
import { requireCleanEntries, requireCleanUrl } from './hygiene.server';
import { crossSiteRefusal } from './same-origin.js';
import type { z } from 'zod';
import { serverT } from '../i18n/server-t.server';
import { translateKnown } from '../i18n/known-message';
import { requestLanguage } from '../i18n/request-language.server';
import type { Language } from '../preferences/languages';

/** Throws a Response with the given status when the condition is false (Epic Stack's invariantResponse). */
export function invariantResponse(condition: unknown, message: string, init: number | ResponseInit = 404): asserts condition {
  if (!condition) {
    const responseInit = typeof init === 'number' ? { status: init } : init;
    throw json({ error: message }, responseInit);
  }
}

/** Mutations must come from the console's own pages: a cross-site or origin-less post gets 403. */
export function requireSameOrigin(request: Request) {
  const h = request.headers;
  const refusal = crossSiteRefusal({
    method: request.method,
    path: new URL(request.url).pathname,
    origin: h.get('Origin'),
    host: h.get('Host') ?? new URL(request.url).host,
    forwardedHost: h.get('X-Forwarded-Host'),
    secFetchSite: h.get('Sec-Fetch-Site'),
  });
  invariantResponse(refusal === null, refusal ?? '', 403);
}

/** No form field of the console is longer (ids lists of a batch selection are the longest). */
const FORM_FIELD_MAX = 100_000;

/**
 * The request's form, its every field clean text no longer than `maxLength`: a body that is not a
 * form (none, JSON, a broken multipart) or a dirty field is a thrown 400, never a 500.
 */
export async function readForm(request: Request, maxLength = FORM_FIELD_MAX): Promise<FormData> {
  const form = await request.formData().catch(() => null);
  if (!form) throw json({ ok: false, error: serverT(requestLanguage(request), 'common')('answer.formBody') }, { status: 400 });
  // Text PostgreSQL or Temporal would refuse is a 400 naming the field, before anything happens.
  requireCleanEntries(form, maxLength);
  return form;
}

/** Parses a form with zod; a bad field is a 400 naming it, and nothing is done. */
export async function parseForm<T extends z.ZodTypeAny>(request: Request, schema: T): Promise<z.infer<T>> {
  const form = await readForm(request);
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const t = serverT(requestLanguage(request), 'common');
    throw json({ ok: false, error: t('answer.field', { field: issue?.path.join('.') || 'form', message: translateKnown(t, issue?.message ?? '') }) }, { status: 400 });
  }
  return parsed.data;
}

export type SearchResult<T> = { ok: true; data: T } | { ok: false; error: string };

const shown = (v: string) => (v.length > 60 ? `${v.slice(0, 60)}…` : v);

/**
 * A query string read with zod: an empty parameter counts as absent, the first of repeated ones
 * wins, unknown ones are ignored. On failure, one sentence per bad parameter, naming it and what
 * was typed: `Filter “from”: expected a date as YYYY-MM-DD (got “2026-13-01”).` (a rule on several
 * parameters together is its own sentence).
 */
export function readSearch<T extends z.ZodTypeAny>(search: URLSearchParams, schema: T, language: Language = 'en'): SearchResult<z.infer<T>> {
  const raw = new Map<string, string>();
  for (const [k, v] of search) if (v !== '' && !raw.has(k)) raw.set(k, v);
  const parsed = schema.safeParse(Object.fromEntries(raw));
  if (parsed.success) return { ok: true, data: parsed.data };
  const byParam = new Map<string, string>();
  const t = serverT(language, 'common');
  for (const issue of parsed.error.issues) {
    const name = issue.path.length ? String(issue.path[0]) : '';
    if (byParam.has(name)) continue;
    const got = raw.get(name);
    const message = translateKnown(t, issue.message);
    byParam.set(name, name
      ? `${got ? t('answer.filterGot', { name, message, got: shown(got) }) : t('answer.filter', { name, message })}.`
      : `${message.charAt(0).toUpperCase()}${message.slice(1)}.`);
  }
  return { ok: false, error: [...byParam.values()].join(' ') };
}

/**
 * A loader's query string: the data, or a thrown 400 `{ error }` naming each bad parameter, which
 * the route's error boundary (components/route-error.tsx) shows inside the console, and which a
 * resource route (CSV export) answers as is.
 */
export function parseSearch<T extends z.ZodTypeAny>(request: Request, schema: T): z.infer<T> {
  requireCleanUrl(request);
  const result = readSearch(new URL(request.url).searchParams, schema, requestLanguage(request));
  if (!result.ok) throw json({ error: result.error }, { status: 400 });
  return result.data;
}

/**
 * Only a path of this console: the target is resolved the way a browser would (`\` as `/`,
 * tabs and newlines dropped) against a placeholder origin, and anything that leaves it — or is
 * not a plain path — falls back. An open redirect would turn the login page into a phishing aid.
 */
export function safeRedirect(to: string | undefined | null, fallback = '/'): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (!to || !to.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, 'http://console.invalid');
  } catch {
    return fallback;
  }
  if (url.origin !== 'http://console.invalid' || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}
