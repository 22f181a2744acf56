// One pipeline for every /api/v1 ingestion endpoint, in the order that costs least when a
// request is refused: method → API key → rate limit → size → JSON → zod → write buffer.
// JSON only, no cookies: an API key is the only credential, so any origin may call it (CORS *).
import { verifyApiKey } from '../admin/api-keys.server';
import { parsedJsonProblem } from '../server/hygiene.server';
import { metrics } from '../server/metrics.server';
import { BufferFullError, isInputFault } from './buffer.server';
import { ingestRateLimiter } from './rate-limit.server';
import type { BatchParse } from './schema.server';
import { INGEST_LIMITS } from './labels';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

export function apiJson(body: unknown, status: number, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...CORS, ...headers },
  });
}

class TooLarge extends Error {}

// A client still sending when the 413 goes out sees a connection reset instead of the
// answer, so a moderately oversized body is read to its end and dropped first.
const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number) {
  let size = alreadyRead;
  while (size <= DRAIN_LIMIT_BYTES) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
}

/** Reads the body up to the limit, whatever Content-Length claims (it may be absent or wrong). */
async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('Content-Length') ?? NaN);
  if (!request.body) return '';
  const reader = request.body.getReader();
  if (Number.isFinite(declared) && declared > limit) {
    await discardRest(reader, 0);
    throw new TooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await discardRest(reader, size);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface IngestSpec<T> {
  parse: (body: unknown) => BatchParse<T>;
  store: (tenantId: string, events: T[]) => Promise<boolean[]>;
}

/** The ingestion endpoint, counted per status for /metrics (and the ingestion 5xx alert). */
export async function handleIngest<T>(request: Request, spec: IngestSpec<T>): Promise<Response> {
  const response = await ingest(request, spec);
  if (request.method === 'POST') metrics().ingestRequests.inc({ endpoint: new URL(request.url).pathname, status: String(response.status) });
  return response;
}

async function ingest<T>(request: Request, spec: IngestSpec<T>): Promise<Response> {
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
  if (request.method !== 'POST') return apiJson({ error: 'Use POST with a JSON body.' }, 405, { Allow: 'POST, OPTIONS' });

  const auth = request.headers.get('Authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!match) {
    return apiJson({ error: 'Missing API key: send the header “Authorization: Bearer vk_…” with a key from Admin → API keys.' }, 401, {
      'WWW-Authenticate': 'Bearer',
    });
  }
  const key = await verifyApiKey(match[1]);
  if (!key) {
    return apiJson({ error: 'Unknown or revoked API key: create a new one in Admin → API keys.' }, 401, {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }

  const limited = await ingestRateLimiter().take(key.keyId);
  if (!limited.ok) {
    return apiJson({ error: `Too many requests for this API key: retry after ${limited.retryAfterSeconds} s.` }, 429, {
      'Retry-After': String(limited.retryAfterSeconds),
    });
  }

  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/json\b/i.test(type)) return apiJson({ error: 'Send the body as Content-Type: application/json.' }, 415);

  let text: string;
  try {
    text = await readLimited(request, INGEST_LIMITS.maxBodyBytes);
  } catch (error) {
    if (error instanceof TooLarge) {
      return apiJson({ error: `Body larger than ${INGEST_LIMITS.maxBodyBytes} bytes: send smaller batches.` }, 413);
    }
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return apiJson({ error: 'The body is not valid JSON.' }, 400);
  }
  // Text PostgreSQL would refuse (U+0000, unpaired surrogates) is this batch's fault: a 400, before the buffer.
  const dirty = parsedJsonProblem(text, body);
  if (dirty) return apiJson({ error: `${dirty.path}: ${dirty.problem}` }, 400);
  const count = (body as { events?: unknown } | null)?.events;
  if (Array.isArray(count) && count.length > INGEST_LIMITS.maxEventsPerBatch) {
    return apiJson({ error: `${count.length} events in one batch: send at most ${INGEST_LIMITS.maxEventsPerBatch}.` }, 413);
  }

  const parsed = spec.parse(body);
  if (!parsed.ok) return apiJson({ error: parsed.issues[0], issues: parsed.issues.slice(0, 20) }, 400);

  let stored: boolean[];
  try {
    stored = await spec.store(key.tenantId, parsed.events);
  } catch (error) {
    if (error instanceof BufferFullError) return apiJson({ error: error.message }, 503, { 'Retry-After': '1' });
    // The database refused this batch's own values: resending it cannot help, so no 503.
    if (isInputFault(error)) {
      return apiJson({ error: `The database refused a value of this batch (${(error as Error).message.split('\n')[0]}): nothing of it was stored.` }, 400);
    }
    console.error('ingestion write failed', error);
    return apiJson({ error: 'Could not store the events: nothing was stored, send the batch again.' }, 503, { 'Retry-After': '1' });
  }
  const accepted = stored.filter(Boolean).length;
  const endpoint = new URL(request.url).pathname;
  metrics().ingestEvents.inc({ endpoint, outcome: 'accepted' }, accepted);
  metrics().ingestEvents.inc({ endpoint, outcome: 'duplicate' }, stored.length - accepted);
  return apiJson({ accepted, duplicates: stored.length - accepted }, 202);
}
