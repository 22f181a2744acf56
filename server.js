// The console's HTTP server: Express in front of the Remix build, so loaders get the
// client's address (login rate limit) and every response carries the security headers.
import express from 'express';
import { createRequestHandler } from '@remix-run/express';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crossSiteRefusal } from './app/server/same-origin.js';
import { matchRoutes } from '@remix-run/router';
import promClient from 'prom-client';
import { createLogger } from './ops/log/logger.js';
import { REQUEST_ID_HTTP_HEADER, requestContext, requestIdFrom } from './ops/log/request-id.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const build = await import(path.join(here, 'build/index.js'));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const app = express();
app.disable('x-powered-by');
// Remix reads the query string from the URL itself; Express's own parser (qs, on every request)
// was spent for nothing (docs/performance.md).
app.set('query parser', false);
const log = createLogger('console');

// A request id for every request (ops/log/request-id.js), in its response, its log lines, the audit
// rows it writes and the Temporal calls it makes; held for the request's whole async life.
app.use((req, res, next) => {
  const requestId = requestIdFrom(req.get(REQUEST_ID_HTTP_HEADER));
  res.setHeader(REQUEST_ID_HTTP_HEADER, requestId);
  requestContext.run({ requestId }, next);
});
// Behind a reverse proxy set TRUST_PROXY so req.ip is the client's address, not the proxy's.
if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY);

app.use((req, res, next) => {
  const nonce = randomBytes(16).toString('base64');
  res.locals.nonce = nonce;
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ].join('; '),
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  next();
});

// Cross-site posts are refused before Remix runs (its own check throws a 500 on a foreign or
// malformed Origin); the routes apply the same rule again (requireSameOrigin).
app.use((req, res, next) => {
  const refusal = crossSiteRefusal({
    method: req.method,
    path: req.path,
    origin: req.get('Origin') ?? null,
    host: req.get('Host') ?? null,
    forwardedHost: req.get('X-Forwarded-Host') ?? null,
    secFetchSite: req.get('Sec-Fetch-Site') ?? null,
  });
  if (refusal) res.status(403).type('text/plain').send(refusal);
  else next();
});

// Request latency by Remix route (its file id, never the raw path: ids would explode the series).
const routeTree = (() => {
  const byParent = new Map();
  for (const r of Object.values(build.routes)) {
    const list = byParent.get(r.parentId) ?? [];
    list.push(r);
    byParent.set(r.parentId, list);
  }
  const tree = (parentId) => (byParent.get(parentId) ?? []).map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, children: tree(r.id) }));
  return tree(undefined);
})();
const requestSeconds = new promClient.Histogram({
  name: 'vigie_console_http_request_duration_seconds',
  help: 'Console HTTP requests by Remix route, method and status.',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
// matchRoutes flattens, ranks and compiles every route on each call (about a millisecond on a
// loaded machine): the route of a path already seen is remembered, the most recent 2,000 paths.
const routeByPath = new Map();
function routeIdOf(pathname) {
  let route = routeByPath.get(pathname);
  if (route === undefined) {
    route = matchRoutes(routeTree, pathname)?.at(-1)?.route.id ?? 'unmatched';
    if (routeByPath.size >= 2000) routeByPath.delete(routeByPath.keys().next().value);
  } else routeByPath.delete(pathname);
  routeByPath.set(pathname, route);
  return route;
}
app.use((req, res, next) => {
  if (req.path.startsWith('/build/')) return next();
  const end = requestSeconds.startTimer();
  res.on('finish', () => {
    const route = routeIdOf(req.path);
    const seconds = end({ route, method: req.method, status: String(res.statusCode) });
    // One line per request; the probes' at debug level.
    const quiet = req.path === '/healthz' || req.path === '/metrics';
    log[quiet ? 'debug' : 'info']({ requestId: res.getHeader(REQUEST_ID_HTTP_HEADER), method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
  });
  next();
});

app.use('/build', express.static(path.join(here, 'public/build'), { immutable: true, maxAge: '1y' }));
app.use(express.static(path.join(here, 'public'), { maxAge: '1h' }));

app.all(
  '*',
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req, res) => ({ clientAddress: req.ip ?? 'unknown', cspNonce: res.locals.nonce }),
  }),
);

const server = app.listen(port, host, () => {
  log.info({ host, port }, `console listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
});
// Node closes an idle keep-alive connection after 5 s; a client (or a proxy) reusing it at that
// moment sees ECONNRESET on a request that never arrived. Idle connections live longer than any
// proxy's or client's own idle timeout (60 s is the common one), so the client always closes first.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
