import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ActionDialog } from '~/components/action-dialog';
import { FinanceTabs } from '~/components/finance-tabs';
import { requireTenantPermission } from '~/server/auth.server';
import { assignableMembers, getIncident } from '~/finance/incidents.server';
import { COMPENSATION_LABELS, INCIDENT_BADGE, STATUS_BADGE, STEP_LABELS, statusLabel } from '~/finance/labels';
import { Time } from '~/components/zoned-time';
import { can } from '~/server/permissions';

export const meta: MetaFunction = () => [{ title: 'Finance incident · Vigie' }];

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

const EVENT_TEXT: Record<string, string> = { note: 'note', assign: 'assigned', acknowledge: 'acknowledged', resolve: 'resolved', retry: 'retried a compensation' };

export default function IncidentPage() {
  const d = useLoaderData<typeof loader>();
  const i = d.incident;
  const base = `/t/${d.tenantId}`;
  const opUrl = `${base}/incidents/${i.id}/op`;
  const moneyUrl = `${base}/payments/${encodeURIComponent(i.orderId)}/money`;
  const resolved = i.status === 'resolved';
  const journal = (Array.isArray(i.compensationJournal) ? i.compensationJournal : []) as JournalEntry[];
  return (
    <main className="page">
      <p><Link to={`${base}/incidents`}>← Incidents</Link></p>
      <h1>
        Incident on order <Link to={`${base}/payments/${encodeURIComponent(i.orderId)}`}><code>{i.orderId}</code></Link>{' '}
        <span className={`badge ${INCIDENT_BADGE[i.status] ?? ''}`} data-testid="incident-status">{i.status}</span>
      </h1>
      <FinanceTabs tenantId={d.tenantId} />
      <div className="grid2">
        <section className="card">
          <dl className="kv">
            <dt>Severity</dt><dd>{i.severity}</dd>
            <dt>Failed step</dt><dd>{i.failedStep ? `${STEP_LABELS[i.failedStep] ?? i.failedStep} (${i.failedStep})` : '—'}</dd>
            <dt>Saga when opened</dt><dd><span className={`badge ${STATUS_BADGE[i.sagaStatus] ?? ''}`}>{statusLabel(i.sagaStatus)}</span></dd>
            <dt>Saga now</dt><dd>{d.saga ? statusLabel(d.saga.status) : '—'}</dd>
            <dt>Error</dt><dd className="error">{i.originalError}</dd>
            <dt>Assigned to</dt><dd data-testid="incident-assignee">{i.assignee ?? 'nobody'}</dd>
            <dt>Opened</dt><dd><Time at={i.createdAt} /></dd>
            <dt>Acknowledged</dt><dd><Time at={i.acknowledgedAt} /></dd>
            <dt>Resolved</dt><dd><Time at={i.resolvedAt} /></dd>
          </dl>
        </section>
        <section className="card">
          <h2>Compensations</h2>
          {journal.length === 0 ? <p className="muted">None ran.</p> : (
            <ul className="timeline" data-testid="incident-compensations">
              {journal.map((c, n) => (
                <li key={n} className={c.statut === 'réussie' ? 'sent' : 'next'}>
                  {COMPENSATION_LABELS[c.action ?? ''] ?? c.action}: {c.statut === 'réussie' ? `succeeded (${c.idFournisseur})` : `failed — ${c.erreur ?? ''}`}
                </li>
              ))}
              {d.retries.map((r) => (
                <li key={`r${r.id}`} className={r.status === 'succeeded' ? 'sent' : 'next'}>
                  ↻ retry of {COMPENSATION_LABELS[r.action] ?? r.action} by {r.by}: {r.status}{r.providerId ? ` (${r.providerId})` : ''}{r.error ? ` — ${r.error}` : ''}
                </li>
              ))}
            </ul>
          )}
          {/* A compensation whose retry succeeded keeps its (disabled) button, so the retry's answer
              stays on screen after the page reloads its data. */}
          {d.can.retry && [...new Set([...d.retryable, ...d.retries.filter((r) => r.status === 'succeeded').map((r) => r.action)])].map((a) => (
            <ActionDialog key={a} label={`Retry: ${COMPENSATION_LABELS[a] ?? a}`} testId={`retry-${a}`} actionUrl={moneyUrl} reason="none"
              disabled={!(d.retryable as readonly string[]).includes(a)} disabledReason="Already compensated: a retry succeeded"
              confirmText="Retry with the saga's own idempotency key: the provider does it at most once, even if an earlier attempt went through unanswered.">
              <input type="hidden" name="op" value="retry-compensation" />
              <input type="hidden" name="compensation" value={a} />
            </ActionDialog>
          ))}
        </section>
      </div>

      {d.can.work ? (
        <section className="card">
          <h2>Work the incident</h2>
          <div className="row" style={{ alignItems: 'start' }}>
            <ActionDialog label="Acknowledge" testId="incident-acknowledge" actionUrl={opUrl} reason="none" disabled={i.status !== 'open'} disabledReason={`The incident is ${i.status}`}
              confirmText="Acknowledge: finance has seen the incident and is on it.">
              <input type="hidden" name="op" value="acknowledge" />
            </ActionDialog>
            <ActionDialog label="Assign" testId="incident-assign" actionUrl={opUrl} reason="none" disabled={resolved} disabledReason="The incident is resolved"
              confirmText="Assign the incident to a member of this tenant who can read payments.">
              <input type="hidden" name="op" value="assign" />
              <label>Assignee
                <select name="assigneeId" defaultValue={i.assigneeId ?? d.userId}>
                  <option value="none">nobody</option>
                  {d.members.map((m) => <option key={m.id} value={m.id}>{m.name} ({m.email}, {m.role})</option>)}
                </select>
              </label>
            </ActionDialog>
            <ActionDialog label="Add a note" testId="incident-note" actionUrl={opUrl} reason="none" confirmText="Notes are kept in order and never edited.">
              <input type="hidden" name="op" value="note" />
              <label>Note<textarea name="note" required minLength={3} maxLength={2000} rows={3} /></label>
            </ActionDialog>
            <ActionDialog label="Resolve" testId="incident-resolve" actionUrl={opUrl} reason="required" disabled={resolved} disabledReason="Already resolved"
              confirmText={d.retryable.length ? 'Some compensations are still not done. Resolve anyway, saying how the money was settled.' : 'Resolve the incident, saying how it was settled.'}>
              <input type="hidden" name="op" value="resolve" />
            </ActionDialog>
          </div>
        </section>
      ) : <p className="muted">Your role can read incidents but not work them.</p>}

      <section className="card">
        <h2>Timeline</h2>
        {d.events.length === 0 ? <p className="muted">Nothing yet.</p> : (
          <ul className="timeline" data-testid="incident-timeline">
            {d.events.map((e) => (
              <li key={e.id} data-kind={e.kind}>
                <span className="muted"><Time at={e.at} /></span> — {e.actorEmail} {EVENT_TEXT[e.kind] ?? e.kind}
                {e.kind === 'assign' ? ` to ${e.assignee ?? 'nobody'}` : ''}
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
