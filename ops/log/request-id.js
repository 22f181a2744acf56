// The request id: one per console request, taken from a well-formed `X-Request-Id` header (a
// proxy's) or made here, sent back in the response, written in the request's log lines and audit
// rows, and carried to Temporal as a header so the worker's activities log it too.
// An AsyncLocalStorage holds it for the request's whole async life; it is kept on globalThis
// because server.js and the Remix build each load their own copy of this module.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HTTP_HEADER = 'X-Request-Id';
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,64}$/;

const KEY = Symbol.for('vigie.requestContext');
/** @type {AsyncLocalStorage<{ requestId: string }>} */
export const requestContext = (/** @type {any} */ (globalThis)[KEY] ??= new AsyncLocalStorage());

/** The id of the request being served, or null outside one (a script, the worker). */
export function currentRequestId() {
  return requestContext.getStore()?.requestId ?? null;
}

/** A caller's id when it is well formed (letters, digits, . _ : -, 8 to 64), else a new one. */
export function requestIdFrom(header) {
  return typeof header === 'string' && WELL_FORMED.test(header) ? header : randomUUID();
}
