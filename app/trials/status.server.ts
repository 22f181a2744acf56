// The live status of one trial: the workflow's own queries, with a clear fallback when
// they cannot answer (no worker running, workflow closed long ago).
import type { Client } from '@temporalio/client';
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

export type StepState = 'sent' | 'skipped' | 'next' | 'upcoming';

export function timeline(statut: StatutOnboarding | null) {
  return ONBOARDING_PLAN.map((step) => {
    let state: StepState = 'upcoming';
    if (statut) {
      const sent = statut.emailsEnvoyés.some((e) => e === step.key || e.startsWith(step.key));
      const closed = statut.phase === 'converti' || statut.phase === 'expiré';
      if (sent || (step.key === 'fin-trial' && closed)) state = 'sent';
      else if (statut.prochaineÉtape?.étape === step.key) state = 'next';
      else if (statut.jourÉcoulé >= step.day || closed) state = 'skipped';
    }
    return { ...step, state };
  });
}
