// The tenant's batch jobs (terminate, cancel, signal, reset started from the workflow list),
// as Temporal reports them, with their progress; the page refreshes itself while one runs.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { z } from 'zod';
import { zoned } from '~/components/time';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { temporal } from '~/server/temporal.server';
import { timeZone } from '~/server/fields';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { listTenantBatchJobs } from '~/workflows/jobs.server';

export const meta: MetaFunction = () => [{ title: 'Batch jobs · Vigie' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const { tz } = parseSearch(request, z.object({ tz: timeZone.optional() }));
  const jobs = await listTenantBatchJobs(await temporal(), ctx.tenantId);
  return json({ tenantId: ctx.tenantId, tz: tz ?? operatorTimeZone(ctx), jobs });
}

export default function BatchJobs() {
  const d = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const running = d.jobs.some((j) => j.state === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  return (
    <main className="page">
      <h1>Batch jobs</h1>
      <p className="muted">
        Batch operations started from the <Link to={`/t/${d.tenantId}/workflows`}>workflow list</Link> for this tenant, newest first; times in {d.tz}.
        {running && ' Refreshing while a job runs.'}
      </p>
      {d.jobs.length === 0 ? <p className="muted">No batch job yet.</p> : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="batch-jobs">
            <thead><tr><th>Job</th><th>Operation</th><th>State</th><th>Progress</th><th>Started</th><th>Closed</th><th>By</th><th>Reason</th></tr></thead>
            <tbody>
              {d.jobs.map((j) => (
                <tr key={j.jobId} data-job={j.key}>
                  <td><code title={j.jobId}>{j.key}</code></td>
                  <td>{j.type}</td>
                  <td><span className={`badge ${j.state === 'completed' ? 'completed' : j.state === 'failed' ? 'failed' : 'running'}`} data-testid="job-state">{j.state}</span></td>
                  <td data-testid="job-progress">
                    <progress max={Math.max(j.total, 1)} value={j.done + j.failed} aria-label={`${j.done + j.failed} of ${j.total}`} />{' '}
                    {j.done} done, {j.failed} failed of {j.total}
                  </td>
                  <td>{zoned(j.startTime, d.tz)}</td>
                  <td>{zoned(j.closeTime, d.tz)}</td>
                  <td>{j.identity}</td>
                  <td>{j.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
