import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireTenantPermission } from '~/utils/auth.server';
import { temporal } from '~/utils/temporal.server';
import { listWorkflowPage } from '~/utils/workflows.server';

export const meta: MetaFunction = () => [{ title: 'Workflows · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const url = new URL(request.url);
  const page = await listWorkflowPage(await temporal(), ctx.tenantId, { pageSize: 50, pageToken: url.searchParams.get('page') });
  return json({ tenantName: ctx.tenantName, ...page });
}

export default function Workflows() {
  const { tenantName, rows, nextPageToken } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>{tenantName} — workflows</h1>
      {rows.length === 0 ? (
        <p className="muted">No workflow of this tenant yet.</p>
      ) : (
        <table className="data" data-testid="workflow-table">
          <thead>
            <tr><th>Workflow id</th><th>Type</th><th>Status</th><th>Started</th><th>Closed</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.workflowId}/${r.runId}`}>
                <td><code>{r.workflowId}</code></td>
                <td>{r.type}</td>
                <td><span className={`badge ${r.status.toLowerCase()}`}>{r.status}</span></td>
                <td>{new Date(r.startTime).toLocaleString()}</td>
                <td>{r.closeTime ? new Date(r.closeTime).toLocaleString() : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextPageToken && <p><Link to={`?page=${nextPageToken}`}>Next page →</Link></p>}
    </main>
  );
}
