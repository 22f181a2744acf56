// The top bar's search: one hit (or one exact hit) redirects to its page; otherwise a short list
// grouped by kind, each hit naming its tenant. A bad query is a 400 shown inside the layout.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SearchForm } from '~/components/search-box';
import { pageTitle } from '~/i18n/fixed-t';
import { HIT_KINDS } from '~/search/labels';
import { searchConsole, searchQuery, searchScope } from '~/search/search.server';
import { requireTenant } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { temporal } from '~/server/temporal.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data?.q ? `“${data.q}” · Vigie` : pageTitle(matches, 'search', (t) => t('title')) },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Every role may search: each kind of hit is filtered by its own permission, tenant by tenant.
  const ctx = await requireTenant(request, params.tenantId);
  const { q, all } = parseSearch(request, searchQuery);
  const tenants = searchScope(ctx, all === '1');
  const outcome = q ? await searchConsole(tenants, q, temporal, ctx.language) : null;
  if (outcome?.landOn) throw redirect(outcome.landOn);
  return json({ tenantId: ctx.tenantId, q: q ?? '', all: all === '1', tenantCount: ctx.memberships.length, scoped: tenants.length, hits: [], more: [], notes: [], ...outcome });
}

export default function SearchResults() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation('search');
  const groups = HIT_KINDS.map((kind) => ({ kind, hits: d.hits.filter((h) => h.kind === kind) })).filter((g) => g.hits.length > 0);
  const scope = !d.q
    ? t('empty')
    : d.hits.length === 0
      ? (d.all ? t('nothingAll', { q: d.q, count: d.scoped }) : t('nothing', { q: d.q }))
      : (d.all ? t('matchesAll', { q: d.q, count: d.hits.length, tenants: d.scoped }) : t('matches', { q: d.q, count: d.hits.length }));
  return (
    <main className="page">
      <h1>{t('title')}</h1>
      <SearchForm tenantId={d.tenantId} q={d.q} all={d.all} canSearchAll={d.tenantCount > 1} className="card filters" id="page-search" />
      <p className="muted" data-testid="search-scope">{scope}</p>
      {d.notes.map((n) => <p key={n} className="error" role="alert">{n}</p>)}
      {groups.map((g) => (
        <section key={g.kind} className="card" data-testid={`search-${g.kind}`}>
          <h2>{t(`kinds.${g.kind}`)}</h2>
          <ul>
            {g.hits.map((h) => (
              <li key={`${h.tenantId}/${h.id}`}>
                <Link to={h.href}>{h.kind === 'incident' ? t('incidentOn', { orderId: h.label }) : h.label}</Link> <span className="muted">{h.detail}</span>{' '}
                <span className="badge" data-testid="hit-tenant">{h.tenantName}</span>
              </li>
            ))}
          </ul>
          {d.more.some((m) => m.kind === g.kind) && <p className="muted">{t('more')}</p>}
        </section>
      ))}
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
