import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ActionDialog } from '~/components/action-dialog';
import { FinanceTabs } from '~/components/finance-tabs';
import { requireTenantPermission } from '~/server/auth.server';
import { assignableMembers, getIncident } from '~/finance/incidents.server';
import { financeTitle, INCIDENT_BADGE, STATUS_BADGE, useFinanceT } from '~/finance/labels';
import { Time } from '~/components/zoned-time';
import { can } from '~/server/permissions';

export const meta: MetaFunction = ({ matches }) => [{ title: `${financeTitle(matches, (f) => f.saga.financeIncident)} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const [detail, members] = await Promise.all([getIncident(ctx.tenantId, params.incidentId ?? ''), assignableMembers(ctx.tenantId)]);
  return json({
    tenantId: ctx.tenantId,
    userId: ctx.userId,
    ...detail,
    members,
    can: { work: can(ctx.role, 'reconcile:payment'), retry: can(ctx.role, 'refund:payment') },
  });
}

interface JournalEntry { action?: string; statut?: string; erreur?: string; idFournisseur?: string; à?: string }

export default function IncidentPage() {
  const d = useLoaderData<typeof loader>();
  const { t, w } = useFinanceT();
  const i = d.incident;
  const base = `/t/${d.tenantId}`;
  const opUrl = `${base}/incidents/${i.id}/op`;
  const moneyUrl = `${base}/payments/${encodeURIComponent(i.orderId)}/money`;
  const resolved = i.status === 'resolved';
  const journal = (Array.isArray(i.compensationJournal) ? i.compensationJournal : []) as JournalEntry[];
  return (
    <main className="page">
      <p><Link to={`${base}/incidents`}>{t('incident.back')}</Link></p>
      <h1>
        {t('incident.heading')} <Link to={`${base}/payments/${encodeURIComponent(i.orderId)}`}><code>{i.orderId}</code></Link>{' '}
        <span className={`badge ${INCIDENT_BADGE[i.status] ?? ''}`} data-testid="incident-status">{w('incidentStatus', i.status)}</span>
      </h1>
      <FinanceTabs tenantId={d.tenantId} />
      <div className="grid2">
        <section className="card">
          <dl className="kv">
            <dt>{t('common.severity')}</dt><dd>{w('severity', i.severity)}</dd>
            <dt>{t('common.failedStep')}</dt><dd>{i.failedStep ? `${w('step', i.failedStep)} (${i.failedStep})` : '—'}</dd>
            <dt>{t('incident.sagaWhenOpened')}</dt><dd><span className={`badge ${STATUS_BADGE[i.sagaStatus] ?? ''}`}>{w('sagaStatus', i.sagaStatus)}</span></dd>
            <dt>{t('incident.sagaNow')}</dt><dd>{d.saga ? w('sagaStatus', d.saga.status) : '—'}</dd>
            <dt>{t('common.error')}</dt><dd className="error">{i.originalError}</dd>
            <dt>{t('common.assignedTo')}</dt><dd data-testid="incident-assignee">{i.assignee ?? t('common.nobody')}</dd>
            <dt>{t('common.opened')}</dt><dd><Time at={i.createdAt} /></dd>
            <dt>{t('incident.acknowledged')}</dt><dd><Time at={i.acknowledgedAt} /></dd>
            <dt>{t('incident.resolved')}</dt><dd><Time at={i.resolvedAt} /></dd>
          </dl>
        </section>
        <section className="card">
          <h2>{t('common.compensations')}</h2>
          {journal.length === 0 ? <p className="muted">{t('common.noneRan')}</p> : (
            <ul className="timeline" data-testid="incident-compensations">
              {journal.map((c, n) => (
                <li key={n} className={c.statut === 'réussie' ? 'sent' : 'next'}>
                  {c.statut === 'réussie'
                    ? t('incident.compensationSucceeded', { compensation: w('compensation', c.action), id: c.idFournisseur })
                    : t('incident.compensationFailed', { compensation: w('compensation', c.action), error: c.erreur ?? '' })}
                </li>
              ))}
              {d.retries.map((r) => (
                <li key={`r${r.id}`} className={r.status === 'succeeded' ? 'sent' : 'next'}>
                  {t('incident.retryLine', { compensation: w('compensation', r.action), by: r.by, status: w('entryStatus', r.status) })}{r.providerId ? ` (${r.providerId})` : ''}{r.error ? ` — ${r.error}` : ''}
                </li>
              ))}
            </ul>
          )}
          {/* A compensation whose retry succeeded keeps its (disabled) button, so the retry's answer
              stays on screen after the page reloads its data. */}
          {d.can.retry && [...new Set([...d.retryable, ...d.retries.filter((r) => r.status === 'succeeded').map((r) => r.action)])].map((a) => (
            <ActionDialog key={a} label={t('incident.retryLabel', { compensation: w('compensation', a) })} testId={`retry-${a}`} actionUrl={moneyUrl} reason="none"
              disabled={!(d.retryable as readonly string[]).includes(a)} disabledReason={t('common.retried')}
              confirmText={t('incident.retryConfirm')}>
              <input type="hidden" name="op" value="retry-compensation" />
              <input type="hidden" name="compensation" value={a} />
            </ActionDialog>
          ))}
        </section>
      </div>

      {d.can.work ? (
        <section className="card">
          <h2>{t('incident.work')}</h2>
          <div className="row" style={{ alignItems: 'start' }}>
            <ActionDialog label={t('incident.acknowledge')} testId="incident-acknowledge" actionUrl={opUrl} reason="none" disabled={i.status !== 'open'}
              disabledReason={t('incident.isStatus', { status: w('incidentStatus', i.status) })} confirmText={t('incident.acknowledgeConfirm')}>
              <input type="hidden" name="op" value="acknowledge" />
            </ActionDialog>
            <ActionDialog label={t('incident.assign')} testId="incident-assign" actionUrl={opUrl} reason="none" disabled={resolved} disabledReason={t('incident.isResolved')}
              confirmText={t('incident.assignConfirm')}>
              <input type="hidden" name="op" value="assign" />
              <label>{t('incident.assignee')}
                <select name="assigneeId" defaultValue={i.assigneeId ?? d.userId}>
                  <option value="none">{t('common.nobody')}</option>
                  {d.members.map((m) => <option key={m.id} value={m.id}>{m.name} ({m.email}, {m.role})</option>)}
                </select>
              </label>
            </ActionDialog>
            <ActionDialog label={t('incident.addNote')} testId="incident-note" actionUrl={opUrl} reason="none" confirmText={t('incident.noteConfirm')}>
              <input type="hidden" name="op" value="note" />
              <label>{t('incident.note')}<textarea name="note" required minLength={3} maxLength={2000} rows={3} /></label>
            </ActionDialog>
            <ActionDialog label={t('incident.resolve')} testId="incident-resolve" actionUrl={opUrl} reason="required" disabled={resolved} disabledReason={t('incident.alreadyResolved')}
              confirmText={d.retryable.length ? t('incident.resolvePending') : t('incident.resolveConfirm')}>
              <input type="hidden" name="op" value="resolve" />
            </ActionDialog>
          </div>
        </section>
      ) : <p className="muted">{t('incident.readOnly')}</p>}

      <section className="card">
        <h2>{t('incident.timeline')}</h2>
        {d.events.length === 0 ? <p className="muted">{t('incident.nothingYet')}</p> : (
          <ul className="timeline" data-testid="incident-timeline">
            {d.events.map((e) => (
              <li key={e.id} data-kind={e.kind}>
                <span className="muted"><Time at={e.at} /></span> — {e.actorEmail} {w('incidentEvent', e.kind)}
                {e.kind === 'assign' ? t('incident.assignedTo', { who: e.assignee ?? t('common.nobody') }) : ''}
                {e.body ? <>: <q>{e.body}</q></> : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
