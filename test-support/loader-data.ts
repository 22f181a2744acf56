// A loader's data as the browser ends up with it, for tests that call a route's loader directly:
// a json() Response's body, or a defer()'s data once every streamed part has arrived (a part that
// failed throws, as the page would show its error), both through JSON like the wire.
import type { SerializeFrom } from '@remix-run/node';

/** The data with each streamed part settled. */
export type Settled<T> = { [K in keyof T]: Awaited<T[K]> };

interface Deferred {
  resolveData(signal: AbortSignal): Promise<boolean>;
  readonly unwrappedData: Record<string, unknown>;
}

const isDeferred = (v: unknown): v is Deferred =>
  typeof v === 'object' && v !== null && typeof (v as Deferred).resolveData === 'function' && 'unwrappedData' in v;

export async function loaderData<L extends (...args: never[]) => unknown>(answer: unknown): Promise<Settled<SerializeFrom<L>>> {
  if (answer instanceof Response) return answer.json();
  if (!isDeferred(answer)) throw new Error('a loader answers with json() or defer()');
  await answer.resolveData(new AbortController().signal);
  return JSON.parse(JSON.stringify(answer.unwrappedData));
}
