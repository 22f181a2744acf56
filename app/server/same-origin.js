// The console's cross-site rule, in plain JavaScript so that the Express server (server.js,
// before Remix sees the request) and the Remix routes (http.server.ts) apply the same one.
// A state-changing request must name this console as its Origin; without an Origin header it
// passes only when the browser says `Sec-Fetch-Site: same-origin`. A malformed Origin is a
// refusal, never an exception. The ingestion API (/api/) authenticates by key and allows CORS.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * @param {{ method: string, path: string, origin: string | null, host: string | null, forwardedHost?: string | null, secFetchSite: string | null }} r
 * @returns {string | null} why the request is refused, or null when it may proceed
 */
export function crossSiteRefusal(r) {
  if (SAFE_METHODS.has(r.method.toUpperCase()) || r.path.startsWith('/api/')) return null;
  if (r.origin === null) {
    return r.secFetchSite === 'same-origin' ? null : 'Cross-origin request refused: no Origin header and no Sec-Fetch-Site: same-origin';
  }
  let originHost;
  try {
    originHost = new URL(r.origin).host;
  } catch {
    return 'Cross-origin request refused: malformed Origin header';
  }
  if (r.origin === 'null' || !originHost) return 'Cross-origin request refused';
  const hosts = [r.host, ...(r.forwardedHost ? r.forwardedHost.split(',').map((h) => h.trim()) : [])].filter(Boolean);
  return hosts.includes(originHost) ? null : 'Cross-origin request refused';
}
