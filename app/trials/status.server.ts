// The live status of one trial: the workflow's own queries, with a clear fallback when
// they cannot answer (no worker running, workflow closed long ago).
import type { Client } from '@temporalio/client';
import { db } from '../server/db.server';
import { msToNumber } from '../../temporal/workflows/duration';
import {
  DURÉES_PRODUCTION,
  PLAN_ONBOARDING,
  queryJoursTrial,
  queryStatutDetaillé,
  type StatutOnboarding,
  type Étape,
} from '../../temporal/workflows/onboarding.contract';

export async function queryOnboarding(client: Client, workflowId: string, runId: string, timeoutMs = 3000) {
  const handle = client.workflow.getHandle(workflowId, runId);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s (is a worker running?)`)), timeoutMs));
  try {
    const [statut, jours] = await Promise.race([
      Promise.all([handle.query(queryStatutDetaillé), handle.query(queryJoursTrial)]),
      timeout,
    ]);
    return { statut, joursTrial: jours, error: null };
  } catch (error) {
    return { statut: null, joursTrial: null, error: (error as Error).message.split('\n')[0] };
  }
}

const STEP_LABELS: Record<Étape, string> = {
  bienvenue: 'Welcome email + Stripe trial',
  'guide-démarrage': 'Getting-started guide (unless a feature was activated)',
  'aide-activation': 'Sales alert + activation help (if still not activated)',
  'mi-parcours': 'Mid-trial email',
  'dernier-rappel': 'Last reminder',
  'fin-trial': 'Conversion recorded, or access deactivated + expiry email',
};

/** The workflow's plan on the production schedule, for the timeline. Keys are the workflow's step names. */
export const ONBOARDING_PLAN = PLAN_ONBOARDING.map(({ étape, échéance }) => ({
  day: échéance ? Math.round(msToNumber(DURÉES_PRODUCTION[échéance]) / msToNumber(DURÉES_PRODUCTION.jour)) : 0,
  key: étape,
  label: STEP_LABELS[étape],
}));

export type StepState = 'sent' | 'failed' | 'skipped' | 'next' | 'upcoming';

const ofStep = (key: string) => (template: string) => template === key || template.startsWith(key);

export function timeline(statut: StatutOnboarding | null) {
  return ONBOARDING_PLAN.map((step) => {
    let state: StepState = 'upcoming';
    if (statut) {
      // A refused email is not a skipped one: support must not tell the user it was sent.
      const failed = statut.emailsÉchoués.some(ofStep(step.key));
      const sent = statut.emailsEnvoyés.some(ofStep(step.key));
      const closed = statut.phase === 'converti' || statut.phase === 'expiré';
      if (failed) state = 'failed';
      else if (sent || (step.key === 'fin-trial' && closed)) state = 'sent';
      else if (statut.prochaineÉtape?.étape === step.key && !closed) state = 'next';
      else if (statut.jourÉcoulé >= step.day || closed) state = 'skipped';
    }
    return { ...step, state };
  });
}

export interface EmailDeliveryView {
  template: string;
  status: 'sending' | 'sent' | 'failed';
  attempts: number;
  /** The provider's reason, for a failed (or still retrying) email. */
  error: string | null;
  at: string;
}

/**
 * What the email activity recorded for this trial, one row per template: sent, failed with the
 * provider's reason and the attempts made, or still being sent. The workflow's statutDetaillé
 * says which failed; this says why.
 */
export async function emailDeliveries(tenantId: string, workflowId: string): Promise<EmailDeliveryView[]> {
  const rows = await db().emailDelivery.findMany({
    where: { tenantId, workflowId },
    orderBy: { createdAt: 'asc' },
    select: { template: true, status: true, attempts: true, error: true, sentAt: true, updatedAt: true },
  });
  return rows.map((r) => ({
    template: r.template,
    status: r.status as EmailDeliveryView['status'],
    attempts: r.attempts,
    error: r.status === 'sent' ? null : r.error,
    at: (r.sentAt ?? r.updatedAt).toISOString(),
  }));
}

/** When the trial really began: its first run's start, which a reset does not move. */
export async function trialStartedAt(tenantId: string, workflowId: string): Promise<string | null> {
  const account = await db().trialAccount.findFirst({ where: { tenantId, workflowId }, select: { startedAt: true } });
  return account?.startedAt.toISOString() ?? null;
}
