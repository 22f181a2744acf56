/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Classic Remix compiler (esbuild), as the design card asks.
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // Prisma's generated client and the Temporal client stay outside the server bundle.
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off: with it, every document request matched each parent path of the URL against every route
    // to inline a partial manifest (getPartialManifest, ~4 ms a page on a loaded 2-core machine);
    // without it the browser loads the whole route manifest once, as a cached /build file.
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: false,
  },
};
