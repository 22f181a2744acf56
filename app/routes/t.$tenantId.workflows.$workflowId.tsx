import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ActionDialog } from '~/components/action-dialog';
import { requireTenantPermission } from '~/server/auth.server';
import { can } from '~/server/permissions';
import { temporal } from '~/server/temporal.server';
import { userIdFromOnboardingWorkflowId } from '~/trials/search.server';
import { resetPoints, type ResetPoint } from '~/workflows/ops.server';
import { describeTenantWorkflow } from '~/workflows/list.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.workflowId ?? 'Workflow'} · Vigie` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:workflow');
  const client = await temporal();
  const d = await describeTenantWorkflow(client, ctx.tenantId, params.workflowId ?? '');
  const points = await resetPoints(client, d.workflowId, d.runId).catch((): ResetPoint[] => []);
  const pending = (d.raw.pendingActivities ?? []).map((a) => ({
    activityId: a.activityId ?? '',
    activityType: a.activityType?.name ?? '?',
    attempt: a.attempt ?? 0,
    maximumAttempts: a.maximumAttempts ?? 0,
    lastFailure: a.lastFailure?.message ?? null,
  }));
  const searchAttributes = Object.fromEntries(
    d.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value instanceof Date ? p.value.toISOString() : String(p.value)]),
  );
  return json({
    tenantId: ctx.tenantId,
    workflowId: d.workflowId,
    /** The trial user, when this is an onboarding workflow. */
    userId: userIdFromOnboardingWorkflowId(d.workflowId),
    runId: d.runId,
    type: d.type,
    status: d.status.name,
    startTime: d.startTime.toISOString(),
    closeTime: d.closeTime?.toISOString() ?? null,
    historyLength: d.historyLength,
    taskQueue: d.taskQueue,
    searchAttributes,
    pending,
    resetPoints: points,
    can: { cancel: can(ctx.role, 'cancel:workflow'), terminate: can(ctx.role, 'terminate:workflow'), reset: can(ctx.role, 'reset:workflow') },
  });
}

export default function WorkflowPage() {
  const d = useLoaderData<typeof loader>();
  const open = d.status === 'RUNNING';
  const opUrl = `/t/${d.tenantId}/workflows/${encodeURIComponent(d.workflowId)}/op`;
  return (
    <main className="page">
      <p><Link to={`/t/${d.tenantId}/workflows`}>← Workflows</Link></p>
      <h1><code>{d.workflowId}</code> <span className={`badge ${d.status.toLowerCase()}`} data-testid="workflow-status">{d.status}</span></h1>
      <div className="grid2">
        <section className="card">
          <dl className="kv">
            <dt>Type</dt><dd>{d.type}</dd>
            <dt>Run</dt><dd><code>{d.runId}</code></dd>
            <dt>Task queue</dt><dd>{d.taskQueue}</dd>
            <dt>Started</dt><dd>{new Date(d.startTime).toLocaleString()}</dd>
            <dt>Closed</dt><dd>{d.closeTime ? new Date(d.closeTime).toLocaleString() : '—'}</dd>
            <dt>History events</dt><dd>{d.historyLength}</dd>
            {Object.entries(d.searchAttributes).map(([k, v]) => <span key={k} style={{ display: 'contents' }}><dt>{k}</dt><dd>{v}</dd></span>)}
          </dl>
          {d.userId && <p><Link to={`/t/${d.tenantId}/trials/${encodeURIComponent(d.userId)}`}>Open the trial user’s page →</Link></p>}
        </section>
        <section className="card">
          <h2>Pending activities</h2>
          {d.pending.length === 0 ? <p className="muted">None.</p> : (
            <table className="data" data-testid="pending-activities">
              <thead><tr><th>Activity</th><th>Attempt</th><th>Last failure</th></tr></thead>
              <tbody>{d.pending.map((a) => <tr key={a.activityId}><td>{a.activityType}</td><td>{a.attempt}{a.maximumAttempts ? ` / ${a.maximumAttempts}` : ''}</td><td className="error">{a.lastFailure ?? '—'}</td></tr>)}</tbody>
            </table>
          )}
        </section>
      </div>
      <section className="card">
        <h2>Operations</h2>
        <div className="row" style={{ alignItems: 'start' }}>
          {!d.can.cancel && !d.can.terminate && !d.can.reset && <p className="muted" data-testid="no-operations">Your role can read workflows but not operate them.</p>}
          {d.can.cancel && <ActionDialog label="Cancel" testId="op-cancel" actionUrl={opUrl} disabled={!open}
            disabledReason="The workflow is closed"
            confirmText="Request cancellation: the workflow is told to stop and runs its own cleanup (a saga compensates) before closing as canceled.">
            <input type="hidden" name="op" value="cancel" />
          </ActionDialog>}
          {d.can.terminate && <ActionDialog label="Terminate" testId="op-terminate" actionUrl={opUrl} danger reason="required" disabled={!open}
            disabledReason="The workflow is closed"
            confirmText="Terminate now: the workflow stops at once, runs no cleanup and cannot be resumed. A saga left half-done is not compensated.">
            <input type="hidden" name="op" value="terminate" />
          </ActionDialog>}
          {d.can.reset && <ActionDialog label="Reset (retry)" testId="op-reset" actionUrl={opUrl} reason="required" disabled={d.resetPoints.length === 0}
            disabledReason="No workflow task to reset to yet"
            confirmText="Reset: a new run replays this one up to the chosen workflow task and continues from there; signals received after that point are reapplied. The current run is terminated.">
            <input type="hidden" name="op" value="reset" />
            <label>Reset point
              <select name="eventId" defaultValue={d.resetPoints[0]?.eventId}>
                {d.resetPoints.map((p, i) => <option key={p.eventId} value={p.eventId}>{i === 0 ? 'Last workflow task' : 'Workflow task'} — event {p.eventId}{p.time ? ` (${new Date(p.time).toLocaleString()})` : ''}</option>)}
              </select>
            </label>
          </ActionDialog>}
        </div>
      </section>
    </main>
  );
}
