// Input hygiene, one rule for every form field, query parameter, route parameter and ingested
// string: text PostgreSQL or Temporal would refuse (U+0000 and the other C0 controls but tab
// and line breaks, DEL, unpaired UTF-16 surrogates) or that is absurdly long is refused with a
// 400 naming the field, before any lookup or side effect. Nothing hostile reaches the stores
// as something they will choke on after an effect already happened.
import { json } from '@remix-run/node';

/** Longest value accepted in a URL (path segment or query parameter). */
export const MAX_URL_VALUE = 2_000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The text with every refused character replaced by "?": for logging what was refused, never for input. */
export function scrubText(value: string): string {
  return value.replace(new RegExp(CONTROL.source, 'g'), '?').replace(new RegExp(LONE_SURROGATE.source, 'g'), '?');
}

/** What is wrong with a piece of text, or null when it is clean. */
export function textProblem(value: string, maxLength = Infinity): string | null {
  const control = CONTROL.exec(value);
  if (control) return `contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode text)';
  if (value.length > maxLength) return `is too long (${value.length} characters, at most ${maxLength})`;
  return null;
}

/** A 400 whose body names the field, in the JSON shape every console action answers with. */
export function badInput(field: string, problem: string): Response {
  return json({ ok: false, error: `${field}: ${problem}` }, { status: 400 });
}

/** Refuses (throws a 400) the first dirty entry of a form or query string. */
export function requireCleanEntries(entries: Iterable<[string, FormDataEntryValue]>, maxLength = Infinity) {
  for (const [name, value] of entries) {
    const nameProblem = textProblem(name, 200);
    if (nameProblem) throw badInput('field name', nameProblem);
    if (typeof value !== 'string') continue;
    const problem = textProblem(value, maxLength);
    if (problem) throw badInput(name, problem);
  }
}

/**
 * The request's path segments and query parameters, decoded as the routes will read them. A
 * percent-encoding that does not decode to UTF-8 text is refused too.
 */
export function requireCleanUrl(request: Request) {
  const url = new URL(request.url);
  for (const segment of url.pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badInput('URL', 'a path segment is not valid percent-encoded UTF-8');
    }
    const problem = textProblem(decoded, MAX_URL_VALUE);
    if (problem) throw badInput('URL', `a path segment ${problem}`);
  }
  requireCleanEntries(url.searchParams, MAX_URL_VALUE);
}

// Decoded from UTF-8 and parsed, JSON text holds a refused character in a string only through an
// escape (\b, \f, \uXXXX: JSON.parse refuses raw C0 controls, and decoding never yields a lone
// surrogate) or a raw DEL. Text with none of them needs its lengths and depth checked, not its characters.
const MAY_HOLD_REFUSED = /\\[bfu]|\u007f/;

/** Whether any string or key is dirty (or the document nests too deeply), building no path; `clean`: its characters are known good. */
function anyProblem(value: unknown, clean: boolean, depth: number): boolean {
  if (depth > 64) return true;
  if (typeof value === 'string') return !clean && textProblem(value) !== null;
  if (Array.isArray(value)) {
    for (const v of value) if (anyProblem(v, clean, depth + 1)) return true;
    return false;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (clean ? k.length > 200 : textProblem(k, 200) !== null) return true;
      if (anyProblem(v, clean, depth + 1)) return true;
    }
  }
  return false;
}

/** jsonProblem of a document parsed from `text`, walking it cheaply first: the path is built only for a problem found. */
export function parsedJsonProblem(text: string, value: unknown): { path: string; problem: string } | null {
  return anyProblem(value, !MAY_HOLD_REFUSED.test(text), 0) ? jsonProblem(value) : null;
}

/** The first dirty string (or key) anywhere in a parsed JSON document, with its path. */
export function jsonProblem(value: unknown, path = 'body', depth = 0): { path: string; problem: string } | null {
  if (depth > 64) return { path, problem: 'is nested too deeply' };
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = jsonProblem(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = textProblem(k, 200);
      if (keyProblem) return { path: `${path} key`, problem: keyProblem };
      const found = jsonProblem(v, `${path}.${k}`, depth + 1);
      if (found) return found;
    }
  }
  return null;
}
