// Pages that show times in the operator's zone: a URL that names none (`tz`) is replaced, once,
// by the same URL with the browser's zone, so the server renders and reads times in it.
import { useNavigate, useSearchParams } from '@remix-run/react';
import { useEffect } from 'react';
import { withQuery } from './query';

export function useBrowserTimeZone(serverTz: string) {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const hasTz = search.has('tz');
  useEffect(() => {
    const browserTz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!hasTz && browserTz && browserTz !== serverTz) navigate(withQuery(search, { tz: browserTz }), { replace: true, preventScrollReset: true });
  }, [hasTz, serverTz, search, navigate]);
}
