import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ActionDialog } from '~/components/action-dialog';
import { FinanceTabs } from '~/components/finance-tabs';
import { requireTenantPermission } from '~/server/auth.server';
import { getSagaDetail } from '~/finance/sagas.server';
import { COMPENSATION_LABELS, formatEuros, INCIDENT_BADGE, inputEuros, STATUS_BADGE, STEP_LABELS, statusLabel } from '~/finance/labels';
import { Time } from '~/components/zoned-time';
import { can } from '~/server/permissions';
import { WorkflowStatus } from '~/components/workflow-status';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.saga.orderId ?? 'Payment'} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:payment');
  const detail = await getSagaDetail(ctx.tenantId, params.commandeId ?? '');
  return json({
    tenantId: ctx.tenantId,
    ...detail,
    can: { refund: can(ctx.role, 'refund:payment'), workflow: can(ctx.role, 'read:workflow') },
  });
}

const JOURNAL_BADGE: Record<string, string> = { succeeded: 'completed', failed: 'failed', running: 'running' };

export default function PaymentPage() {
  const d = useLoaderData<typeof loader>();
  const base = `/t/${d.tenantId}`;
  const moneyUrl = `${base}/payments/${encodeURIComponent(d.saga.orderId)}/money`;
  const p = d.position;
  return (
    <main className="page">
      <p><Link to={`${base}/payments`}>← Payments</Link></p>
      <h1>
        Order <code>{d.saga.orderId}</code>{' '}
        <span className={`badge ${STATUS_BADGE[d.saga.status] ?? ''}`} data-testid="saga-status">{statusLabel(d.saga.status)}</span>
        {d.compensatedAfterRetry && <> <span className="badge completed" data-testid="compensated-after-retry">compensated after retry</span></>}
      </h1>
      <FinanceTabs tenantId={d.tenantId} />
      <div className="grid2">
        <section className="card">
          <h2>Order</h2>
          <dl className="kv">
            <dt>Buyer</dt><dd>{d.saga.buyerId}</dd>
            <dt>Seller</dt><dd>{d.saga.sellerId}</dd>
            <dt>Total</dt><dd>{formatEuros(d.saga.totalCents)}</dd>
            <dt>Seller’s share</dt><dd>{formatEuros(d.saga.sellerCents)}</dd>
            <dt>Commission (12 %)</dt><dd>{formatEuros(d.saga.commissionCents)}</dd>
            <dt>Insurance (0.5 %)</dt><dd>{formatEuros(d.saga.insuranceCents)}</dd>
            <dt>Started</dt><dd><Time at={d.saga.startedAt} /></dd>
            <dt>Ended</dt><dd><Time at={d.saga.endedAt} /></dd>
            {d.saga.error && <><dt>Error</dt><dd className="error">{d.saga.error}</dd></>}
          </dl>
          <p><Link to={`${base}/reconciliation/${encodeURIComponent(d.saga.orderId)}?from=${d.saga.startedAt.slice(0, 10)}&to=${(d.saga.endedAt ?? d.saga.startedAt).slice(0, 10)}`}>Reconciliation story →</Link></p>
        </section>
        <section className="card" data-testid="temporal-execution">
          <h2>Temporal execution</h2>
          {d.temporal.execution ? (
            <dl className="kv">
              <dt>Workflow</dt>
              <dd>{d.can.workflow ? <Link to={`${base}/workflows/${encodeURIComponent(d.saga.workflowId)}`}><code>{d.saga.workflowId}</code></Link> : <code>{d.saga.workflowId}</code>}</dd>
              <dt>Status</dt><dd><WorkflowStatus status={d.temporal.execution.status} testId="execution-status" /></dd>
              <dt>Started</dt><dd><Time at={d.temporal.execution.startTime} /></dd>
              <dt>Closed</dt><dd><Time at={d.temporal.execution.closeTime} /></dd>
              <dt>History events</dt><dd>{d.temporal.execution.historyLength}</dd>
              {d.temporal.execution.failure && <><dt>Failure</dt><dd className="error" data-testid="execution-failure">{d.temporal.execution.failure}</dd></>}
            </dl>
          ) : (
            <p className="muted" data-testid="temporal-note">{d.temporal.note}</p>
          )}
        </section>
      </div>

      <section className="card" data-testid="saga-journal">
        <h2>Journal</h2>
        <p className="muted" data-testid="journal-source">
          {d.journal.source === 'workflow' ? 'From the workflow (journalSaga query).' : d.journal.source === 'saga record' ? 'From the saga’s record, written when it ended.' : 'Rebuilt from the ledger.'}
          {d.journal.note ? ` ${d.journal.note}` : ''}
        </p>
        <h3>Steps</h3>
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="saga-steps">
            <thead><tr><th>Step</th><th>Status</th><th>Provider id</th><th>Time</th><th>Error</th></tr></thead>
            <tbody>
              {d.journal.steps.map((s) => (
                <tr key={s.name}>
                  <td>{STEP_LABELS[s.name] ?? s.name} <span className="muted">({s.name})</span></td>
                  <td><span className={`badge ${JOURNAL_BADGE[s.status] ?? ''}`}>{s.status}</span></td>
                  <td><code>{s.providerId ?? '—'}</code></td>
                  <td><Time at={s.at} /></td>
                  <td className="error">{s.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>Compensations</h3>
        {d.journal.compensations.length === 0 ? <p className="muted">None ran.</p> : (
          <div className="scroll" tabIndex={0}>
            <table className="data" data-testid="compensation-journal">
              <thead><tr><th>#</th><th>Compensation</th><th>Result</th><th>Provider id</th><th>Time</th><th>Error</th><th /></tr></thead>
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
                      <td>{c.retryBy ? '↻ retry: ' : ''}{COMPENSATION_LABELS[c.action] ?? c.action} <span className="muted">({c.action}{c.retryBy ? `, by ${c.retryBy}` : ''})</span></td>
                      <td><span className={`badge ${JOURNAL_BADGE[c.status] ?? ''}`}>{c.status}</span></td>
                      <td><code>{c.providerId ?? '—'}</code></td>
                      <td><Time at={c.at} /></td>
                      <td className="error">{c.error ?? ''}</td>
                      <td>
                        {(retryable || retried) && d.can.refund && (
                          <ActionDialog label="Retry" testId={`retry-${c.action}`} actionUrl={moneyUrl} reason="none"
                            disabled={!retryable} disabledReason="Already compensated: a retry succeeded"
                            confirmText={`Retry “${COMPENSATION_LABELS[c.action] ?? c.action}” with the saga's own idempotency key: the provider does it at most once, even if an earlier attempt went through unanswered.`}>
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
          <h2>Finance incident</h2>
          {d.incident ? (
            <dl className="kv">
              <dt>Incident</dt><dd><Link to={`${base}/incidents/${d.incident.id}`}>open the incident →</Link></dd>
              <dt>Status</dt><dd><span className={`badge ${INCIDENT_BADGE[d.incident.status] ?? ''}`} data-testid="incident-status">{d.incident.status}</span></dd>
              <dt>Severity</dt><dd>{d.incident.severity}</dd>
              <dt>Failed step</dt><dd>{d.incident.failedStep ?? '—'}</dd>
              <dt>Error</dt><dd className="error">{d.incident.originalError}</dd>
              <dt>Assigned to</dt><dd>{d.incident.assignee ?? 'nobody'}</dd>
              <dt>Opened</dt><dd><Time at={d.incident.createdAt} /></dd>
            </dl>
          ) : <p className="muted">The saga opened no incident.</p>}
        </section>
        <section className="card" data-testid="refunds">
          <h2>Refunds</h2>
          {p ? (
            <p>
              <span className="stat"><b>{formatEuros(p.capturedCents)}</b>captured</span>
              <span className="stat"><b>{formatEuros(p.refundedCents)}</b>refunded</span>
              <span className="stat"><b>{formatEuros(p.pendingCents)}</b>pending</span>
              <span className="stat"><b data-testid="refundable">{formatEuros(p.remainingCents)}</b>refundable</span>
            </p>
          ) : <p className="muted">No captured charge: nothing can be refunded.</p>}
          {d.refunds.length > 0 && (
            <div className="scroll" tabIndex={0}>
              <table className="data" data-testid="refund-list">
                <thead><tr><th>Amount</th><th>Status</th><th>Origin</th><th>Reason</th><th>Provider id</th><th>Time</th><th /></tr></thead>
                <tbody>
                  {d.refunds.map((r) => (
                    <tr key={r.key}>
                      <td className="num">{formatEuros(r.amountCents)}</td>
                      <td><span className={`badge ${r.status === 'succeeded' ? 'completed' : r.status === 'failed' ? 'failed' : 'running'}`}>{r.status}</span></td>
                      <td>{r.origin}{r.by ? ` (${r.by})` : ''}</td>
                      <td>{r.reason ?? ''}</td>
                      <td><code>{r.providerId ?? '—'}</code></td>
                      <td><Time at={r.at} /></td>
                      <td>
                        {r.status === 'pending' && r.refundId && d.can.refund && (
                          <ActionDialog label="Send again" actionUrl={moneyUrl} reason="none" testId={`retry-refund-${r.refundId}`}
                            confirmText="Send this pending refund to the provider again, with its own idempotency key: it is made at most once.">
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
            <ActionDialog label="Refund" testId="refund" actionUrl={moneyUrl} reason="required" danger
              confirmText={`Refund the buyer in full or in part: at most ${formatEuros(p.remainingCents)} (captured minus refunded and pending).`}>
              <input type="hidden" name="op" value="refund" />
              <label>Amount (€)<input name="amount" inputMode="decimal" required defaultValue={inputEuros(p.remainingCents)} pattern="[0-9 ]+([.,][0-9]{1,2})?" /></label>
            </ActionDialog>
          )}
        </section>
      </div>

      <section className="card">
        <h2>Ledger</h2>
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="ledger">
            <thead><tr><th>Kind</th><th>Key</th><th className="num">Amount</th><th>Status</th><th>Provider id</th><th>Draws on</th><th>Attempts</th><th>Updated</th><th>Error</th></tr></thead>
            <tbody>
              {d.ledger.map((l) => (
                <tr key={l.id}>
                  <td>{l.kind}</td>
                  <td><code>{l.idempotencyKey}</code></td>
                  <td className="num">{formatEuros(l.amountCents)}</td>
                  <td>{l.status}</td>
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
