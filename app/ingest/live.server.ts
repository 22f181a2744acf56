// Live updates for the console: one LISTEN connection per console process; the ingestion
// flush NOTIFYs at commit (ingest-store.server.ts), so every process sees every write,
// whichever process stored it. Pages get it through an SSE stream (eventStream below).
import pg from 'pg';
import { env } from '../server/env.server';
import { metrics } from '../server/metrics.server';
import { LIVE_CHANNEL } from './store.server';

export type LiveKind = 'checkout' | 'kanban';
type Listener = (kind: LiveKind) => void;

const g = globalThis as unknown as {
  __vigieLive?: { listeners: Map<string, Set<Listener>>; client: Promise<pg.Client> | null };
};

function state() {
  g.__vigieLive ??= { listeners: new Map(), client: null };
  return g.__vigieLive;
}

function connect(): Promise<pg.Client> {
  const s = state();
  s.client ??= (async () => {
    const client = new pg.Client({ connectionString: env().DATABASE_URL });
    const reconnect = () => {
      s.client = null;
      client.end().catch(() => {});
      // Reconnect while someone is listening; the pages revalidate on their own meanwhile.
      if ([...s.listeners.values()].some((l) => l.size > 0)) setTimeout(() => void connect().catch(() => {}), 1000);
    };
    client.on('error', reconnect);
    client.on('end', () => { if (s.client) reconnect(); });
    client.on('notification', (n) => {
      if (n.channel !== LIVE_CHANNEL || !n.payload) return;
      let payload: { t?: unknown; k?: unknown };
      try {
        payload = JSON.parse(n.payload) as { t?: unknown; k?: unknown };
      } catch {
        return;
      }
      if (typeof payload.t !== 'string' || (payload.k !== 'checkout' && payload.k !== 'kanban')) return;
      for (const l of s.listeners.get(payload.t) ?? []) l(payload.k);
    });
    await client.connect();
    await client.query(`LISTEN ${LIVE_CHANNEL}`);
    return client;
  })().catch((error) => {
    s.client = null;
    throw error;
  });
  return s.client;
}

/** Calls `listener` after each committed ingestion write for this tenant. */
export async function subscribeTenant(tenantId: string, listener: Listener): Promise<() => void> {
  const s = state();
  const set = s.listeners.get(tenantId) ?? new Set();
  set.add(listener);
  s.listeners.set(tenantId, set);
  await connect();
  return () => {
    set.delete(listener);
    if (set.size === 0) s.listeners.delete(tenantId);
  };
}

const HEARTBEAT_MS = 15_000;
// Many writes within this window become one message: the page reloads its data once.
const COALESCE_MS = 50;

/**
 * An SSE response that sends `event: <kind>` after each write for the tenant, coalesced.
 * Messages carry no data: the page reloads through its loader, which applies the staff
 * member's filters and permissions.
 */
export function eventStream(request: Request, tenantId: string, kinds: LiveKind[]): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const pending = new Set<LiveKind>();
      let timer: ReturnType<typeof setTimeout> | null = null;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      let unsubscribe: () => void;
      try {
        unsubscribe = await subscribeTenant(tenantId, (kind) => {
          if (!kinds.includes(kind)) return;
          pending.add(kind);
          timer ??= setTimeout(() => {
            timer = null;
            for (const k of pending) send(`event: ${k}\ndata: ${Date.now()}\n\n`);
            pending.clear();
          }, COALESCE_MS);
        });
      } catch (error) {
        // No LISTEN connection: end the stream, so the page falls back to polling and retries.
        console.error('live updates unavailable', error);
        controller.close();
        return;
      }
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
      metrics().sseClients.inc();
      cleanup = () => {
        if (closed) return;
        closed = true;
        metrics().sseClients.dec();
        clearInterval(heartbeat);
        if (timer) clearTimeout(timer);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      request.signal.addEventListener('abort', cleanup, { once: true });
      // Tells the page the stream is live, and how soon to come back after a disconnect.
      send(`retry: 2000\nevent: ready\ndata: ${Date.now()}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
}
