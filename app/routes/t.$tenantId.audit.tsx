import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { AUDIT_OUTCOMES, FILTER_NAMES, filtersQuery, listAuditPage, parseAuditQuery, type AuditRow } from '~/server/audit.server';
import { requireTenantPermission } from '~/server/auth.server';

export const meta: MetaFunction = () => [{ title: 'Audit log · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:audit');
  const search = new URL(request.url).searchParams;
  const base = `/t/${ctx.tenantId}/audit`;
  // What was typed stays in the form, even when it is refused.
  const typed = Object.fromEntries(FILTER_NAMES.map((k) => [k, search.get(k) ?? ''])) as Record<(typeof FILTER_NAMES)[number], string>;
  const parsed = parseAuditQuery(search);
  const page = parsed.ok ? await listAuditPage(ctx.tenantId, parsed.filters, parsed.before) : { rows: [] as AuditRow[], nextBefore: null };
  return json(
    {
      base,
      typed,
      outcomes: AUDIT_OUTCOMES,
      error: parsed.ok ? null : parsed.error,
      rows: page.rows.map((r) => ({ ...r, at: `${r.at.slice(0, 19).replace('T', ' ')} UTC` })),
      olderHref: parsed.ok && page.nextBefore ? `${base}?${filtersQuery(parsed.filters, { before: page.nextBefore })}` : null,
      csvHref: parsed.ok ? `${base}.csv?${filtersQuery(parsed.filters)}` : null,
      paged: parsed.ok && parsed.before !== null,
    },
    { status: parsed.ok ? 200 : 400 },
  );
}

const OUTCOME_BADGE: Record<string, string> = { ok: 'completed', failed: 'failed', denied: 'canceled' };

export default function AuditLog() {
  const { base, typed, outcomes, error, rows, olderHref, csvHref, paged } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>Audit log</h1>
      <Form method="get" className="filters" aria-label="Filters">
        <label>Actor email<input name="actor" defaultValue={typed.actor} placeholder="contains" /></label>
        <label>Action<input name="action" defaultValue={typed.action} placeholder="e.g. apikey:" /></label>
        <label>Target id<input name="target" defaultValue={typed.target} placeholder="contains" /></label>
        <label>
          Outcome
          <select name="outcome" defaultValue={typed.outcome}>
            <option value="">any</option>
            {outcomes.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
        <label>From (UTC)<input name="from" type="date" defaultValue={typed.from} /></label>
        <label>To (UTC)<input name="to" type="date" defaultValue={typed.to} /></label>
        <button type="submit">Filter</button>
        <Link to={base}>Clear</Link>
        {csvHref && <a href={csvHref} download data-testid="audit-csv">Export CSV</a>}
      </Form>
      {error && <p className="error" role="alert">{error}</p>}
      {!error && rows.length === 0 && <p className="muted">No audit entry matches.</p>}
      {rows.length > 0 && (
        <table className="data" data-testid="audit-table">
          <thead>
            <tr><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Reason</th><th>Outcome</th><th>Detail</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.at}</td>
                <td>{r.actorEmail}</td>
                <td><code>{r.action}</code></td>
                <td><span className="muted">{r.targetType}</span> <code>{r.targetId}</code></td>
                <td>{r.reason ?? ''}</td>
                <td><span className={`badge ${OUTCOME_BADGE[r.outcome] ?? ''}`}>{r.outcome}</span></td>
                <td>{r.detail && r.detail !== '{}' ? <code>{r.detail}</code> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        {paged && <Link to={`${base}?${new URLSearchParams(Object.entries(typed).filter(([, v]) => v)).toString()}`}>← Newest</Link>}{' '}
        {olderHref && <Link to={olderHref}>Older →</Link>}
      </p>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
