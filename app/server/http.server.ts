import { json } from '@remix-run/node';

/** Throws a Response with the given status when the condition is false (Epic Stack's invariantResponse). */
export function invariantResponse(condition: unknown, message: string, init: number | ResponseInit = 404): asserts condition {
  if (!condition) {
    const responseInit = typeof init === 'number' ? { status: init } : init;
    throw json({ error: message }, responseInit);
  }
}

/** Mutations must come from the console's own pages: a cross-site form post gets 403. */
export function requireSameOrigin(request: Request) {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const origin = request.headers.get('Origin');
  const host = request.headers.get('Host');
  // Browsers send Origin on every POST; its absence means a non-browser client, which has no cookie to ride on.
  if (origin === null) return;
  invariantResponse(host && origin !== 'null' && new URL(origin).host === host, 'Cross-origin request refused', 403);
}
