import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ActionDialog } from '~/components/action-dialog';
import { FinanceTabs } from '~/components/finance-tabs';
import { requireTenantPermission } from '~/server/auth.server';
import { getSagaDetail } from '~/finance/sagas.server';
import { ENTRY_BADGE, formatEuros, financeTitle, INCIDENT_BADGE, inputEuros, STATUS_BADGE, useFinanceT } from '~/finance/labels';
import type { CloseFailure, TemporalNote } from '~/finance/sagas.server';
import { Time } from '~/components/zoned-time';
import { can } from '~/server/permissions';
import { WorkflowStatus } from '~/components/workflow-status';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: `${data?.saga.orderId ?? financeTitle(matches, (f) => f.payments.title)} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const detail = await getSagaDetail(ctx.tenantId, params.commandeId ?? '');
  return json({
    tenantId: ctx.tenantId,
    ...detail,
    can: { refund: can(ctx.role, 'refund:payment'), workflow: can(ctx.role, 'read:workflow') },
  });
}

export default function PaymentPage() {
  const d = useLoaderData<typeof loader>();
  const { t, w } = useFinanceT();
  const failureText = (f: CloseFailure) =>
    f.key === 'failed' ? f.text
      : f.key === 'terminated' ? t('saga.closeFailure.terminated', { reason: f.text ?? t('saga.closeFailure.noReason') })
      : f.key === 'unreadable' ? t('saga.closeFailure.unreadable', { error: f.text })
      : t(`saga.closeFailure.${f.key}`);
  // The note's values are those of its key (sagas.server.ts temporalFacts).
  const noteText = (n: { key: TemporalNote['key']; values: Record<string, string | number> }) => (t as unknown as (key: string, values: object) => string)(`saga.note.${n.key}`, n.values);
  const base = `/t/${d.tenantId}`;
  const moneyUrl = `${base}/payments/${encodeURIComponent(d.saga.orderId)}/money`;
  const p = d.position;
  return (
    <main className="page">
      <p><Link to={`${base}/payments`}>{t('saga.back')}</Link></p>
      <h1>
        {t('common.order')} <code>{d.saga.orderId}</code>{' '}
        <span className={`badge ${STATUS_BADGE[d.saga.status] ?? ''}`} data-testid="saga-status">{w('sagaStatus', d.saga.status)}</span>
        {d.compensatedAfterRetry && <> <span className="badge completed" data-testid="compensated-after-retry">{t('saga.compensatedAfterRetry')}</span></>}
      </h1>
      <FinanceTabs tenantId={d.tenantId} />
      <div className="grid2">
        <section className="card">
          <h2>{t('common.order')}</h2>
          <dl className="kv">
            <dt>{t('common.buyer')}</dt><dd>{d.saga.buyerId}</dd>
            <dt>{t('common.seller')}</dt><dd>{d.saga.sellerId}</dd>
            <dt>{t('common.total')}</dt><dd>{formatEuros(d.saga.totalCents)}</dd>
            <dt>{t('saga.sellerShare')}</dt><dd>{formatEuros(d.saga.sellerCents)}</dd>
            <dt>{t('saga.commission')}</dt><dd>{formatEuros(d.saga.commissionCents)}</dd>
            <dt>{t('saga.insurance')}</dt><dd>{formatEuros(d.saga.insuranceCents)}</dd>
            <dt>{t('common.started')}</dt><dd><Time at={d.saga.startedAt} /></dd>
            <dt>{t('common.ended')}</dt><dd><Time at={d.saga.endedAt} /></dd>
            {d.saga.error && <><dt>{t('common.error')}</dt><dd className="error">{d.saga.error}</dd></>}
          </dl>
          <p><Link to={`${base}/reconciliation/${encodeURIComponent(d.saga.orderId)}?from=${d.saga.startedAt.slice(0, 10)}&to=${(d.saga.endedAt ?? d.saga.startedAt).slice(0, 10)}`}>{t('saga.story')}</Link></p>
        </section>
        <section className="card" data-testid="temporal-execution">
          <h2>{t('saga.temporal')}</h2>
          {d.temporal.execution ? (
            <dl className="kv">
              <dt>{t('saga.workflow')}</dt>
              <dd>{d.can.workflow ? <Link to={`${base}/workflows/${encodeURIComponent(d.saga.workflowId)}`}><code>{d.saga.workflowId}</code></Link> : <code>{d.saga.workflowId}</code>}</dd>
              <dt>{t('common.status')}</dt><dd><WorkflowStatus status={d.temporal.execution.status} testId="execution-status" /></dd>
              <dt>{t('common.started')}</dt><dd><Time at={d.temporal.execution.startTime} /></dd>
              <dt>{t('saga.closed')}</dt><dd><Time at={d.temporal.execution.closeTime} /></dd>
              <dt>{t('saga.historyEvents')}</dt><dd>{d.temporal.execution.historyLength}</dd>
              {d.temporal.execution.failure && <><dt>{t('saga.failure')}</dt><dd className="error" data-testid="execution-failure">{failureText(d.temporal.execution.failure)}</dd></>}
            </dl>
          ) : (
            <p className="muted" data-testid="temporal-note">{d.temporal.note && noteText(d.temporal.note)}</p>
          )}
        </section>
      </div>

      <section className="card" data-testid="saga-journal">
        <h2>{t('saga.journal')}</h2>
        <p className="muted" data-testid="journal-source">
          {d.journal.source === 'workflow' ? t('saga.source.workflow', { query: 'journalSaga' }) : d.journal.source === 'saga record' ? t('saga.source.record') : t('saga.source.ledger')}
          {d.journal.note ? ` ${noteText(d.journal.note)}` : ''}
        </p>
        <h3>{t('saga.steps')}</h3>
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="saga-steps">
            <thead><tr><th>{t('saga.stepCol')}</th><th>{t('common.status')}</th><th>{t('common.providerId')}</th><th>{t('common.time')}</th><th>{t('common.error')}</th></tr></thead>
            <tbody>
              {d.journal.steps.map((s) => (
                <tr key={s.name}>
                  <td>{w('step', s.name)} <span className="muted">({s.name})</span></td>
                  <td><span className={`badge ${ENTRY_BADGE[s.status] ?? ''}`}>{w('entryStatus', s.status)}</span></td>
                  <td><code>{s.providerId ?? '—'}</code></td>
                  <td><Time at={s.at} /></td>
                  <td className="error">{s.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>{t('common.compensations')}</h3>
        {d.journal.compensations.length === 0 ? <p className="muted">{t('common.noneRan')}</p> : (
          <div className="scroll" tabIndex={0}>
            <table className="data" data-testid="compensation-journal">
              <thead><tr><th>{t('saga.number')}</th><th>{t('saga.compensationCol')}</th><th>{t('saga.result')}</th><th>{t('common.providerId')}</th><th>{t('common.time')}</th><th>{t('common.error')}</th><th /></tr></thead>
              <tbody>
                {d.journal.compensations.map((c, i) => {
                  // The button stays on a failed row once its retry succeeded (disabled), so the retry's
                  // answer stays on screen after the page reloads its data.
                  const failedOriginal = !c.retryBy && c.status === 'failed';
                  const retryable = failedOriginal && d.journal.retryable.includes(c.action as (typeof d.journal.retryable)[number]);
                  const retried = failedOriginal && d.journal.compensations.some((r) => r.retryBy && r.action === c.action && r.status === 'succeeded');
                  return (
                    <tr key={`${c.action}-${i}`} className={c.retryBy ? 'retry' : undefined} data-action={c.action}>
                      <td>{i + 1}</td>
                      <td>{c.retryBy ? t('saga.retryOf') : ''}{w('compensation', c.action)} <span className="muted">({c.action}{c.retryBy ? t('saga.retryBy', { email: c.retryBy }) : ''})</span></td>
                      <td><span className={`badge ${ENTRY_BADGE[c.status] ?? ''}`}>{w('entryStatus', c.status)}</span></td>
                      <td><code>{c.providerId ?? '—'}</code></td>
                      <td><Time at={c.at} /></td>
                      <td className="error">{c.error ?? ''}</td>
                      <td>
                        {(retryable || retried) && d.can.refund && (
                          <ActionDialog label={t('common.retry')} testId={`retry-${c.action}`} actionUrl={moneyUrl} reason="none"
                            disabled={!retryable} disabledReason={t('common.retried')}
                            confirmText={t('saga.retryConfirm', { compensation: w('compensation', c.action) })}>
                            <input type="hidden" name="op" value="retry-compensation" />
                            <input type="hidden" name="compensation" value={c.action} />
                          </ActionDialog>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="grid2">
        <section className="card" data-testid="saga-incident">
          <h2>{t('saga.financeIncident')}</h2>
          {d.incident ? (
            <dl className="kv">
              <dt>{t('common.incident')}</dt><dd><Link to={`${base}/incidents/${d.incident.id}`}>{t('saga.openIncident')}</Link></dd>
              <dt>{t('common.status')}</dt><dd><span className={`badge ${INCIDENT_BADGE[d.incident.status] ?? ''}`} data-testid="incident-status">{w('incidentStatus', d.incident.status)}</span></dd>
              <dt>{t('common.severity')}</dt><dd>{w('severity', d.incident.severity)}</dd>
              <dt>{t('common.failedStep')}</dt><dd>{d.incident.failedStep ? `${w('step', d.incident.failedStep)} (${d.incident.failedStep})` : '—'}</dd>
              <dt>{t('common.error')}</dt><dd className="error">{d.incident.originalError}</dd>
              <dt>{t('common.assignedTo')}</dt><dd>{d.incident.assignee ?? t('common.nobody')}</dd>
              <dt>{t('common.opened')}</dt><dd><Time at={d.incident.createdAt} /></dd>
            </dl>
          ) : <p className="muted">{t('saga.noIncident')}</p>}
        </section>
        <section className="card" data-testid="refunds">
          <h2>{t('saga.refunds')}</h2>
          {p ? (
            <p>
              <span className="stat"><b>{formatEuros(p.capturedCents)}</b>{t('saga.captured')}</span>
              <span className="stat"><b>{formatEuros(p.refundedCents)}</b>{t('saga.refunded')}</span>
              <span className="stat"><b>{formatEuros(p.pendingCents)}</b>{t('saga.pending')}</span>
              <span className="stat"><b data-testid="refundable">{formatEuros(p.remainingCents)}</b>{t('saga.refundable')}</span>
            </p>
          ) : <p className="muted">{t('saga.nothingCaptured')}</p>}
          {d.refunds.length > 0 && (
            <div className="scroll" tabIndex={0}>
              <table className="data" data-testid="refund-list">
                <thead><tr><th>{t('common.amount')}</th><th>{t('common.status')}</th><th>{t('saga.origin')}</th><th>{t('saga.reason')}</th><th>{t('common.providerId')}</th><th>{t('common.time')}</th><th /></tr></thead>
                <tbody>
                  {d.refunds.map((r) => (
                    <tr key={r.key}>
                      <td className="num">{formatEuros(r.amountCents)}</td>
                      <td><span className={`badge ${ENTRY_BADGE[r.status] ?? 'running'}`}>{w('entryStatus', r.status)}</span></td>
                      <td>{w('refundOrigin', r.origin)}{r.by ? ` (${r.by})` : ''}</td>
                      <td>{r.reason ?? ''}</td>
                      <td><code>{r.providerId ?? '—'}</code></td>
                      <td><Time at={r.at} /></td>
                      <td>
                        {r.status === 'pending' && r.refundId && d.can.refund && (
                          <ActionDialog label={t('saga.sendAgain')} actionUrl={moneyUrl} reason="none" testId={`retry-refund-${r.refundId}`}
                            confirmText={t('saga.sendAgainConfirm')}>
                            <input type="hidden" name="op" value="retry-refund" />
                            <input type="hidden" name="refundId" value={r.refundId} />
                          </ActionDialog>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {d.can.refund && p && p.remainingCents > 0 && d.saga.status !== 'running' && (
            <ActionDialog label={t('saga.refund')} testId="refund" actionUrl={moneyUrl} reason="required" danger
              confirmText={t('saga.refundConfirm', { max: formatEuros(p.remainingCents) })}>
              <input type="hidden" name="op" value="refund" />
              <label>{t('saga.amountEuros')}<input name="amount" inputMode="decimal" required defaultValue={inputEuros(p.remainingCents)} pattern="[0-9 ]+([.,][0-9]{1,2})?" /></label>
            </ActionDialog>
          )}
        </section>
      </div>

      <section className="card">
        <h2>{t('saga.ledger')}</h2>
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="ledger">
            <thead><tr><th>{t('common.kind')}</th><th>{t('saga.key')}</th><th className="num">{t('common.amount')}</th><th>{t('common.status')}</th><th>{t('common.providerId')}</th><th>{t('saga.drawsOn')}</th><th>{t('saga.attempts')}</th><th>{t('saga.updated')}</th><th>{t('common.error')}</th></tr></thead>
            <tbody>
              {d.ledger.map((l) => (
                <tr key={l.id}>
                  <td>{w('movement', l.kind)}</td>
                  <td><code>{l.idempotencyKey}</code></td>
                  <td className="num">{formatEuros(l.amountCents)}</td>
                  <td>{w('entryStatus', l.status)}</td>
                  <td><code>{l.providerId ?? '—'}</code></td>
                  <td><code>{l.relatedProviderId ?? ''}</code></td>
                  <td>{l.attempts}</td>
                  <td><Time at={l.updatedAt} /></td>
                  <td className="error">{l.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
