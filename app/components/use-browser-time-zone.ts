// The operator's zone, from their browser, once: while none is stored the layout sends
// Intl's zone to the preferences resource route, which stores it (audited); the loaders then run
// again and every date of the page is written in it. Afterwards the operator changes it on the
// Preferences page; a browser elsewhere never overwrites it.
import { useFetcher } from '@remix-run/react';
import { useEffect } from 'react';

export function useSendBrowserTimeZone(tenantBase: string, stored: boolean) {
  const fetcher = useFetcher();
  const { submit } = fetcher;
  useEffect(() => {
    if (stored) return;
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!timeZone) return;
    submit({ timeZone, idempotencyKey: `tz-${crypto.randomUUID()}` }, { method: 'post', action: `${tenantBase}/preferences/time-zone` });
  }, [stored, tenantBase, submit]);
}
