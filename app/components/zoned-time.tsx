// Every date of a console page in the operator's zone, with the zone named: the t.$tenantId
// layout's loader reads the zone stored for the operator, and the server and the browser write
// the same text from it (a browser's own locale and zone never enter, so nothing differs at
// hydration). A page that accepts an explicit `tz` query parameter passes it as `tz`.
import { useRouteLoaderData } from '@remix-run/react';
import { zoned, type TimePrecision } from './time';

/** The layout route whose loader provides `timeZone` (app/routes/t.$tenantId.tsx). */
export const TENANT_LAYOUT_ROUTE_ID = 'routes/t.$tenantId';

/** The operator's zone; UTC outside the tenant pages (sign-in, an invitation). */
export function useTimeZone(): string {
  const layout = useRouteLoaderData<{ timeZone?: string }>(TENANT_LAYOUT_ROUTE_ID);
  return layout?.timeZone ?? 'UTC';
}

/** An instant as `<time>`, "2026-01-15 13:34:56 Europe/Paris"; "—" when there is none. */
export function Time({ at, precision = 'second', tz }: { at: Date | string | null | undefined; precision?: TimePrecision; tz?: string }) {
  const operatorZone = useTimeZone();
  if (!at) return <>—</>;
  const iso = new Date(at).toISOString();
  return <time dateTime={iso}>{zoned(iso, tz ?? operatorZone, precision)}</time>;
}
