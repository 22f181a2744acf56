// The tenant's batch jobs (terminate, cancel, signal, reset started from the workflow list),
// as Temporal reports them, with their progress; the page refreshes itself while one runs.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { workflows as en } from '~/i18n/locales/en/workflows';
import { z } from 'zod';
import { zoned } from '~/components/time';
import { requireTenantPermission } from '~/server/auth.server';
import { parseSearch } from '~/server/http.server';
import { temporal } from '~/server/temporal.server';
import { timeZone } from '~/server/fields';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { listTenantBatchJobs } from '~/workflows/jobs.server';
import { serverT } from '~/i18n/server-t.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? 'Batch jobs'} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const { tz } = parseSearch(request, z.object({ tz: timeZone.optional() }));
  const jobs = await listTenantBatchJobs(await temporal(), ctx.tenantId);
  // The tab's title is written before React renders, so in the loader.
  return json({ tenantId: ctx.tenantId, title: serverT(ctx.language, 'workflows')('jobs.title'), tz: tz ?? operatorTimeZone(ctx), jobs });
}

export default function BatchJobs() {
  const d = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const { t } = useTranslation('workflows');
  // Temporal's names of a job's operation and state, in words; one Temporal adds later, as it is.
  const operation = (type: string) => t(`jobs.operations.${type as keyof typeof en.jobs.operations}`, { defaultValue: type });
  const state = (name: string) => t(`jobs.states.${name as keyof typeof en.jobs.states}`, { defaultValue: name });
  const running = d.jobs.some((j) => j.state === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  return (
    <main className="page">
      <h1>{t('jobs.title')}</h1>
      <p className="muted">
        <Trans t={t} i18nKey="jobs.intro" values={{ tz: d.tz }} components={{ listLink: <Link to={`/t/${d.tenantId}/workflows`} /> }} />
        {running && t('jobs.refreshing')}
      </p>
      {d.jobs.length === 0 ? <p className="muted">{t('jobs.none')}</p> : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="batch-jobs">
            <thead><tr><th>{t('jobs.job')}</th><th>{t('jobs.operation')}</th><th>{t('jobs.state')}</th><th>{t('jobs.progress')}</th><th>{t('jobs.started')}</th><th>{t('jobs.closed')}</th><th>{t('jobs.by')}</th><th>{t('jobs.reason')}</th></tr></thead>
            <tbody>
              {d.jobs.map((j) => (
                <tr key={j.jobId} data-job={j.key}>
                  <td><code title={j.jobId}>{j.key}</code></td>
                  <td>{operation(j.type)}</td>
                  <td><span className={`badge ${j.state === 'completed' ? 'completed' : j.state === 'failed' ? 'failed' : 'running'}`} data-testid="job-state" data-state={j.state}>{state(j.state)}</span></td>
                  <td data-testid="job-progress">
                    <progress max={Math.max(j.total, 1)} value={j.done + j.failed} aria-label={t('jobs.progressOf', { done: j.done + j.failed, total: j.total })} />{' '}
                    {t('jobs.counts', { done: j.done, failed: j.failed, total: j.total })}
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
