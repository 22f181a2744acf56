// Links that change a list page's query string: one helper, so every page merges, removes and
// keeps parameters the same way. Browser-safe (pages build their links with it).

export type QueryPatch = Record<string, string | number | null | undefined>;

/**
 * `search` with `patch` merged in, as a relative link ("?a=1&b=2"): a value replaces the
 * parameter, and null, undefined or "" removes it. Every other parameter is kept.
 */
export function withQuery(search: URLSearchParams | string, patch: QueryPatch): string {
  const next = new URLSearchParams(search);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') next.delete(k);
    else next.set(k, String(v));
  }
  return `?${next}`;
}
