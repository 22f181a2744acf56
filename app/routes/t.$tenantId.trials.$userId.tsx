import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ActionDialog } from '~/components/action-dialog';
import { SentEmails } from '~/components/sent-emails';
import { zoned } from '~/components/time';
import { timeZone } from '~/server/fields';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { requireTenantPermission } from '~/server/auth.server';
import { invariantResponse, parseSearch } from '~/server/http.server';
import { mailer } from '~/trials/mailer.server';
import { emailDeliveries, queryOnboarding, timeline, trialStartedAt, withSentContent } from '~/trials/status.server';
import { can } from '~/server/permissions';
import { temporal } from '~/server/temporal.server';
import { onboardingWorkflowId, trialUsersById } from '~/trials/search.server';
import { describeTenantWorkflow } from '~/workflows/list.server';
import { WorkflowStatus } from '~/components/workflow-status';
import { serverT } from '~/i18n/server-t.server';
import { statusInSentence } from '~/workflows/labels';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user?.name ?? data?.userId ?? data?.fallbackTitle ?? ''} · Vigie` }];

export const USER_ID = /^[\w.@:-]{1,200}$/;

export const trialPageSearch = z.object({
  /** An explicit zone for this page; the operator's own otherwise. */
  tz: timeZone.optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'read:trial');
  const userId = params.userId ?? '';
  invariantResponse(USER_ID.test(userId), 'Not found', 404);
  const search = parseSearch(request, trialPageSearch);
  const client = await temporal();
  const workflowId = onboardingWorkflowId(userId);
  // Every database read is scoped by the tenant, so it runs beside Temporal's describe and queries
  // (hidden behind them) rather than after: the deliveries are read by tenant and workflow, so the
  // provider is only asked for this tenant's own message ids. The workflow belongs to the tenant
  // (describeTenantWorkflow is a 404 otherwise) before anything is answered.
  const described = describeTenantWorkflow(client, ctx.tenantId, workflowId);
  const trialUser = trialUsersById(ctx.tenantId, [userId]).then((rows) => rows[0] ?? null);
  // The live status is asked beside describe once the trial user is known in this tenant (its id
  // names the workflow), so the page waits for the slower of the two, not their sum; nothing of it
  // is shown before describe has found the workflow in this tenant. A workflow with no trial user
  // here (started outside Vigie) is queried after describe, for the run it described.
  const liveStatus = trialUser.then((known) => (known ? queryOnboarding(client, workflowId, undefined) : described.then((found) => queryOnboarding(client, workflowId, found.runId))));
  const [d, live, user, emails, firstStart] = await Promise.all([
    described,
    liveStatus,
    trialUser,
    emailDeliveries(ctx.tenantId, workflowId).then((deliveries) => withSentContent(deliveries, mailer())),
    trialStartedAt(ctx.tenantId, workflowId),
  ]);
  return json({
    tenantId: ctx.tenantId,
    userId,
    fallbackTitle: serverT(ctx.language, 'trials')('page.fallbackTitle'),
    workflowId,
    user: user && { name: user.name, email: user.email },
    status: d.status.name,
    // The trial's own start: a reset starts a new run later, which must not move it.
    startTime: firstStart && firstStart < d.startTime.toISOString() ? firstStart : d.startTime.toISOString(),
    runStartTime: d.startTime.toISOString(),
    tz: search.tz ?? operatorTimeZone(ctx),
    emails,
    failedEmails: emails.filter((e) => e.status === 'failed' || live.statut?.emailsÉchoués.includes(e.template)),
    closeTime: d.closeTime?.toISOString() ?? null,
    // Set by the starter for trials on a compressed schedule (the demo's): its days are not calendar days.
    demoClock: typeof d.memo?.demoClock === 'string' ? d.memo.demoClock : null,
    ...live,
    timeline: timeline(live.statut, d.status.name),
    canSignal: can(ctx.role, 'signal:workflow'),
    canOperate: can(ctx.role, 'terminate:workflow'),
  });
}

export default function TrialUser() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation('trials');
  const { t: wt } = useTranslation('workflows');
  const tz = d.tz;
  const open = d.status === 'RUNNING';
  const signalUrl = `/t/${d.tenantId}/trials/${encodeURIComponent(d.userId)}/signal`;
  const disabledReason = !open ? t('signals.closed') : undefined;
  return (
    <main className="page">
      <p><Link to={`/t/${d.tenantId}/trials`}>{t('page.back')}</Link></p>
      <h1>{d.user?.name ?? d.userId}</h1>
      <div className="grid2">
        <section className="card">
          <h2>{t('page.status')}</h2>
          <dl className="kv" data-testid="trial-status">
            <dt>{t('page.email')}</dt><dd>{d.user?.email ?? '—'}</dd>
            <dt>{t('page.workflow')}</dt><dd>{d.canOperate ? <Link to={`/t/${d.tenantId}/workflows/${encodeURIComponent(d.workflowId)}`}><code>{d.workflowId}</code></Link> : <code>{d.workflowId}</code>} <WorkflowStatus status={d.status} /></dd>
            <dt>{t('page.phase')}</dt><dd data-testid="phase">{d.statut?.phase ?? '—'}</dd>
            <dt>{t('page.trialDay')}</dt><dd data-testid="jours-trial">{d.joursTrial ?? '—'}</dd>
            <dt>{t('page.subscribed')}</dt><dd>{d.statut ? (d.statut.souscrit ? t('yes') : t('no')) : '—'}</dd>
            <dt>{t('page.features')}</dt><dd data-testid="features">{d.statut?.fonctionnalitésActivées.join(', ') || '—'}</dd>
            <dt>{t('page.emailsSent')}</dt><dd data-testid="emails">{d.statut?.emailsEnvoyés.join(', ') || '—'}</dd>
            <dt>{t('page.emailsFailed')}</dt>
            <dd data-testid="emails-failed">
              {d.failedEmails.length === 0 && !(d.statut?.emailsÉchoués.length) ? '—' : (
                <ul className="plain">
                  {d.failedEmails.map((e) => (
                    <li key={e.template} className="error"><code>{e.template}</code>: {t('page.notDeliveredWhy', { reason: e.error ?? t('page.refusedByProvider'), attempts: t('attempts', { count: e.attempts }) })}</li>
                  ))}
                  {(d.statut?.emailsÉchoués ?? []).filter((template) => !d.failedEmails.some((e) => e.template === template)).map((template) => (
                    <li key={template} className="error"><code>{template}</code>: {t('page.notDelivered')}</li>
                  ))}
                </ul>
              )}
            </dd>
            {open ? (
              <><dt>{t('page.nextStep')}</dt><dd>{d.statut?.prochaineÉtape ? <>{d.statut.prochaineÉtape.étape} — <time dateTime={d.statut.prochaineÉtape.prévueLe}>{zoned(d.statut.prochaineÉtape.prévueLe, tz)}</time></> : '—'}</dd></>
            ) : (
              <><dt>{t('page.outcome')}</dt><dd data-testid="outcome">{d.statut?.phase === 'converti' ? t('page.converted') : d.statut?.phase === 'expiré' ? t('page.expired') : t('page.workflowClosed', { status: statusInSentence(wt, d.status) })}{d.closeTime ? <> — <time dateTime={d.closeTime}>{zoned(d.closeTime, tz)}</time></> : ''}</dd></>
            )}
            <dt>{t('page.started')}</dt><dd><time dateTime={d.startTime}>{zoned(d.startTime, tz)}</time>{d.runStartTime !== d.startTime && <span className="muted"> ({t('page.currentRunSince')} <time dateTime={d.runStartTime}>{zoned(d.runStartTime, tz)}</time>, {t('page.afterReset')})</span>}</dd>
            {d.demoClock && <><dt>{t('page.schedule')}</dt><dd data-testid="demo-clock">{d.demoClock}</dd></>}
          </dl>
          {d.error && <p className="error" role="alert">{t('page.liveUnavailable', { error: d.error.code === 'no-answer' ? t('page.noAnswer', { seconds: d.error.seconds }) : d.error.message })}</p>}
        </section>
        <section className="card">
          <h2>{t('plan.title')}</h2>
          <ol className="timeline" data-testid="timeline">
            {d.timeline.map((s) => (
              <li key={s.key} className={s.state} data-state={s.state}>J+{s.day} · {t(`plan.step.${s.key}`)} <span className="muted">({t(`plan.state.${s.state}`)}{s.skipped && ` — ${t(`plan.skipped.${s.skipped}`)}`})</span></li>
            ))}
          </ol>
        </section>
      </div>
      <section className="card">
        <h2>{t('emails.title')}</h2>
        <p className="muted">{t('emails.intro')}</p>
        <div data-testid="sent-emails"><SentEmails emails={d.emails} tz={tz} /></div>
      </section>
      {d.canSignal && <section className="card">
        <h2>{t('signals.title')}</h2>
        <div className="row" style={{ alignItems: 'start' }}>
          <ActionDialog label="fonctionnalitéActivée" testId="signal-feature" actionUrl={signalUrl} disabled={Boolean(disabledReason)} disabledReason={disabledReason}
            confirmText={t('signals.featureConfirm')}>
            <input type="hidden" name="signal" value="fonctionnalitéActivée" />
            <label>{t('signals.feature')}<input name="fonctionnalité" required maxLength={100} placeholder={t('signals.featurePlaceholder')} /></label>
          </ActionDialog>
          <ActionDialog label="abonnementSouscrit" testId="signal-subscription" actionUrl={signalUrl} disabled={Boolean(disabledReason)} disabledReason={disabledReason}
            confirmText={t('signals.subscriptionConfirm')}>
            <input type="hidden" name="signal" value="abonnementSouscrit" />
            <label>{t('signals.plan')}<input name="planId" required maxLength={100} placeholder={t('signals.planPlaceholder')} /></label>
            <label>{t('signals.amount')}<input name="montant" required inputMode="decimal" pattern="\d+([.,]\d{1,2})?" placeholder="49.00" /></label>
          </ActionDialog>
          <ActionDialog label="onboardingComplété" testId="signal-onboarding" actionUrl={signalUrl} disabled={Boolean(disabledReason)} disabledReason={disabledReason}
            confirmText={t('signals.onboardingConfirm')}>
            <input type="hidden" name="signal" value="onboardingComplété" />
          </ActionDialog>
        </div>
      </section>}
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
