import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { pageTitle } from '~/i18n/fixed-t';
import { NEWEST_FIRST, Pager } from '~/components/pager';
import { withQuery } from '~/components/query';
import { zoned } from '~/components/time';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { AUDIT_OUTCOMES, auditQuerySchema, listAuditPage } from '~/server/audit.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { resolveInterruptedActions } from '~/server/audited-action.server';

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'admin', (t) => t('audit.title')) }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:audit');
  const { before, ...filters } = parseSearch(request, auditQuerySchema);
  // Claims whose request died are shown as interrupted, never as pending for ever.
  await resolveInterruptedActions(ctx.tenantId);
  // Days are the operator's, as every time on the page.
  const tz = operatorTimeZone(ctx);
  const page = await listAuditPage(ctx.tenantId, { ...filters, tz }, before ?? null);
  return json({
    base: `/t/${ctx.tenantId}/audit`,
    filters,
    tz,
    outcomes: AUDIT_OUTCOMES,
    rows: page.rows.map((r) => ({ ...r, at: zoned(r.at, tz) })),
    nextBefore: page.nextBefore,
  });
}

const OUTCOME_BADGE: Record<string, string> = { ok: 'completed', failed: 'failed', denied: 'canceled' };

export default function AuditLog() {
  const { base, filters, tz, outcomes, rows, nextBefore } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const { t } = useTranslation('admin');
  // The outcome codes come with the data: audit.server is not in the browser's bundle.
  const outcomeWord = (o: string) => ((outcomes as readonly string[]).includes(o) ? t(`audit.outcomes.${o as (typeof outcomes)[number]}`) : o);
  return (
    <main className="page">
      <h1>{t('audit.title')}</h1>
      <Form method="get" className="filters" aria-label={t('audit.filters')}>
        <label>{t('audit.actor')}<input name="actor" defaultValue={filters.actor} placeholder={t('audit.contains')} /></label>
        <label>{t('audit.action')}<input name="action" defaultValue={filters.action} placeholder={t('audit.actionPlaceholder')} /></label>
        <label>{t('audit.target')}<input name="target" defaultValue={filters.target} placeholder={t('audit.contains')} /></label>
        <label>
          {t('audit.outcome')}
          <select name="outcome" defaultValue={filters.outcome ?? ''}>
            <option value="">{t('audit.any')}</option>
            {outcomes.map((o) => <option key={o} value={o}>{outcomeWord(o)}</option>)}
          </select>
        </label>
        <label>{t('audit.from', { tz })}<input name="from" type="date" defaultValue={filters.from} /></label>
        <label>{t('audit.to', { tz })}<input name="to" type="date" defaultValue={filters.to} /></label>
        <button type="submit">{t('audit.filter')}</button>
        <Link to={base}>{t('audit.clear')}</Link>
        <a href={`${base}.csv${withQuery(search, { before: null })}`} download data-testid="audit-csv">{t('audit.exportCsv')}</a>
      </Form>
      {rows.length === 0 && <p className="muted">{t('audit.empty')}</p>}
      {rows.length > 0 && (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="audit-table">
            <thead>
              <tr>{(['time', 'actor', 'action', 'target', 'reason', 'outcome', 'detail'] as const).map((c) => <th key={c}>{t(`audit.column.${c}`)}</th>)}</tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.at}</td>
                  <td>{r.actorEmail}</td>
                  <td><code>{r.action}</code></td>
                  <td><span className="muted" translate="no">{r.targetType}</span> <code>{r.targetId}</code></td>
                  <td>{r.reason ?? ''}</td>
                  <td><span className={`badge ${OUTCOME_BADGE[r.outcome] ?? ''}`}>{outcomeWord(r.outcome)}</span></td>
                  <td>{r.detail && r.detail !== '{}' ? <code>{r.detail}</code> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager param="before" next={nextBefore} labels={NEWEST_FIRST} />
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
