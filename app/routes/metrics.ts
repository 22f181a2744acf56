// GET /metrics: Prometheus exposition of this console process (request latencies, ingestion
// counters, live streams, Node process) and of the business gauges per tenant. Not for the
// public: with METRICS_TOKEN set it wants `Authorization: Bearer <token>`; without, it answers
// only the machine itself (a scraper on localhost or a sidecar).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { registerBusinessMetrics } from '~/live/business-metrics.server';
import { env } from '~/server/env.server';
import { exposition } from '~/server/metrics.server';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = env().METRICS_TOKEN;
  const allowed = token
    ? request.headers.get('Authorization') === `Bearer ${token}`
    : LOOPBACK.has(String((context as { clientAddress?: string } | undefined)?.clientAddress ?? ''));
  if (!allowed) return new Response('Not found', { status: 404 });
  registerBusinessMetrics();
  const { body, contentType } = await exposition();
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
}
