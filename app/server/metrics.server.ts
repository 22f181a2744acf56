// The console's Prometheus metrics (prom-client, one registry per process: the default one, which
// server.js also records request latencies into). Business gauges are computed at scrape time by
// collectors the domains register (app/live/business-metrics.server.ts), cached briefly so that a
// scrape every 15 s costs a handful of queries.
import client from 'prom-client';

const g = globalThis as unknown as { __vigieMetrics?: ReturnType<typeof create> };

function create() {
  client.collectDefaultMetrics({ prefix: 'vigie_console_' });
  return {
    ingestRequests: new client.Counter({
      name: 'vigie_ingest_requests_total',
      help: 'Ingestion API requests by endpoint and HTTP status.',
      labelNames: ['endpoint', 'status'] as const,
    }),
    ingestEvents: new client.Counter({
      name: 'vigie_ingest_events_total',
      help: 'Ingested events by endpoint and outcome (accepted, duplicate, refused).',
      labelNames: ['endpoint', 'outcome'] as const,
    }),
    sseClients: new client.Gauge({ name: 'vigie_console_sse_clients', help: 'Live-view (SSE) streams open on this console process.' }),
  };
}

export function metrics() {
  g.__vigieMetrics ??= create();
  return g.__vigieMetrics;
}

export const registry = client.register;

/** The exposition text, in the registry's content type. */
export async function exposition(): Promise<{ body: string; contentType: string }> {
  metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
