// The paging links under a list, the same on every page. Keyset lists (a cursor parameter) get
// "back to the start" and "next"; numbered lists get previous / "page n of m" / next.
import { Link, useSearchParams } from '@remix-run/react';
import { withQuery } from './query';
import { useTranslation } from 'react-i18next';

type PagerProps =
  | {
      /** The cursor's query parameter, e.g. "cursor" or "before". */
      param: string;
      /** The cursor of the following page, or null on the last one. */
      next: string | null;
      /** The two links' words, or NEWEST_FIRST for a log read newest first. */
      labels?: { first: string; next: string } | typeof NEWEST_FIRST;
    }
  | {
      page: number;
      pages: number;
      /** The link to a page number (a numbered list keeps its own query rules). */
      href: (page: number) => string;
    };

/** Labels of a log read newest first (incidents, audit). */
export const NEWEST_FIRST = 'newest-first';

export function Pager(props: PagerProps) {
  const [search] = useSearchParams();
  const { t } = useTranslation();
  if ('page' in props) {
    const { page, pages, href } = props;
    if (pages <= 1) return null;
    return (
      <p className="row">
        {page > 1 && <Link to={href(page - 1)}>{t('pager.previous')}</Link>}
        <span className="muted">{t('pager.pageOf', { page, pages })}</span>
        {page < pages && <Link to={href(page + 1)}>{t('pager.next')}</Link>}
      </p>
    );
  }
  const { param, next } = props;
  const labels = props.labels === NEWEST_FIRST
    ? { first: t('pager.newest'), next: t('pager.older') }
    : props.labels ?? { first: t('pager.first'), next: t('pager.nextPage') };
  const paged = Boolean(search.get(param));
  if (!paged && !next) return null;
  return (
    <p className="row">
      {paged && <Link to={withQuery(search, { [param]: null })}>{labels.first}</Link>}
      {next && <Link to={withQuery(search, { [param]: next })}>{labels.next}</Link>}
    </p>
  );
}
