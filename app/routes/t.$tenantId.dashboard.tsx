// The tenant's home dashboard: the numbers each role looks at first, in that role's order
// (support: trials; finance: sagas and payment errors; on-call: what is stuck or failing).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HourlyErrorsChart } from '~/components/hourly-chart';
import styles from '~/components/ingest.css';
import { LiveBadge, useLiveData } from '~/components/live';
import { requireTenantPermission } from '~/server/auth.server';
import { dashboardNumbers } from '~/live/dashboard.server';
import type { Role } from '~/server/permissions';
import { ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE } from '~/workflows/labels';
import { DEFAULT_STUCK_SECONDS } from '~/ingest/labels';
import { pageTitle } from '~/i18n/fixed-t';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'live', (t) => t('dashboard.title')) }];

type Section = 'checkouts' | 'errorCodes' | 'saveErrors' | 'trials' | 'sagas';
const ORDER: Record<Role, Section[]> = {
  support: ['trials', 'checkouts', 'errorCodes', 'saveErrors', 'sagas'],
  finance: ['sagas', 'errorCodes', 'checkouts', 'trials', 'saveErrors'],
  oncall: ['checkouts', 'saveErrors', 'sagas', 'errorCodes', 'trials'],
  admin: ['checkouts', 'errorCodes', 'saveErrors', 'trials', 'sagas'],
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  return json({ tenantId: ctx.tenantId, tenantName: ctx.tenantName, role: ctx.role, order: ORDER[ctx.role], ...(await dashboardNumbers(ctx.tenantId)) });
}

function Counts({ counts, link, testId }: { counts: Record<string, number>; link?: (k: string) => string; testId: string }) {
  return (
    <div data-testid={testId}>
      {Object.entries(counts).map(([k, n]) => (
        <div key={k} className="stat" data-key={k}>
          <b>{n}</b>{link ? <Link to={link(k)}>{k}</Link> : k}
        </div>
      ))}
    </div>
  );
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation('live');
  const { live } = useLiveData(`/t/${d.tenantId}/checkouts/stream?kinds=checkout,kanban`);
  const base = `/t/${d.tenantId}`;
  const sections: Record<Section, ReactNode> = {
    checkouts: (
      <section className="card" key="checkouts">
        <h2>{t('dashboard.checkouts')}</h2>
        <Counts testId="dash-checkouts" counts={d.checkouts} link={(s) => `${base}/checkouts?state=${encodeURIComponent(s)}`} />
        <p><Link to={`${base}/checkouts?stuck=1`} className={d.stuck ? 'error' : undefined} data-testid="dash-stuck">{t('dashboard.stuck', { count: d.stuck })}</Link> {t('dashboard.stuckRule', { seconds: DEFAULT_STUCK_SECONDS })}</p>
      </section>
    ),
    errorCodes: (
      <section className="card" key="errorCodes">
        <h2>{t('dashboard.errorCodes')}</h2>
        {d.errorCodes.length === 0 ? <p className="muted">{t('dashboard.noPaymentError')}</p> : (
          <div className="scroll" tabIndex={0}>
            <table className="data" data-testid="dash-error-codes">
              <tbody>{d.errorCodes.map((e) => <tr key={e.code}><td><code>{e.code}</code></td><td>{e.count}</td></tr>)}</tbody>
            </table>
          </div>
        )}
      </section>
    ),
    saveErrors: (
      <section className="card" key="saveErrors">
        <h2>{t('dashboard.saveErrors')}</h2>
        <HourlyErrorsChart data={d.saveErrors} height={180} />
        <p><Link to={`${base}/kanban`}>{t('dashboard.allSaveErrors')}</Link></p>
      </section>
    ),
    trials: (
      <section className="card" key="trials">
        <h2>{t('dashboard.trials')}</h2>
        {d.workflows.ok ? <Counts testId="dash-trials" counts={d.workflows.trials} link={(p) => `${base}/workflows?type=${ONBOARDING_WORKFLOW_TYPE}&phase=${encodeURIComponent(p)}`} />
          : <p className="error">{t('dashboard.temporalDown', { error: d.workflows.error })}</p>}
      </section>
    ),
    sagas: (
      <section className="card" key="sagas">
        <h2>{t('dashboard.sagas')}</h2>
        {d.workflows.ok ? <Counts testId="dash-sagas" counts={d.workflows.sagas} link={(s) => `${base}/workflows?type=${PAYMENT_WORKFLOW_TYPE}&sagaStatus=${encodeURIComponent(s)}`} />
          : <p className="error">{t('dashboard.temporalDown', { error: d.workflows.error })}</p>}
      </section>
    ),
  };
  return (
    <main className="page">
      <h1>{d.tenantName} <LiveBadge live={live} /></h1>
      <div className="kpis">{d.order.map((s) => sections[s])}</div>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
