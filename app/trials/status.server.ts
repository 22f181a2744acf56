// The live status of one trial: the workflow's own queries, with a clear fallback when
// they cannot answer (no worker running, workflow closed long ago).
import type { Client } from '@temporalio/client';

export interface StatutOnboarding {
  phase: string;
  emailsEnvoyés: string[];
  fonctionnalitésActivées: string[];
  jourÉcoulé: number;
  souscrit: boolean;
  prochaineÉtape?: { étape: string; prévueLe: string } | null;
  démarréLe?: string;
}

export async function queryOnboarding(client: Client, workflowId: string, runId: string, timeoutMs = 3000) {
  const handle = client.workflow.getHandle(workflowId, runId);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s (is a worker running?)`)), timeoutMs));
  try {
    const [statut, jours] = await Promise.race([
      Promise.all([handle.query<StatutOnboarding>('statutDetaillé'), handle.query<number>('joursTrial')]),
      timeout,
    ]);
    return { statut, joursTrial: jours, error: null };
  } catch (error) {
    return { statut: null, joursTrial: null, error: (error as Error).message.split('\n')[0] };
  }
}

/** The seed's 14-day plan, for the timeline. Email keys are those the workflow records. */
export const ONBOARDING_PLAN = [
  { day: 0, key: 'bienvenue', label: 'Welcome email + Stripe trial' },
  { day: 1, key: 'guide-démarrage', label: 'Getting-started guide (unless a feature was activated)' },
  { day: 3, key: 'aide-activation', label: 'Sales alert + activation help (if still not activated)' },
  { day: 7, key: 'mi-parcours', label: 'Mid-trial email' },
  { day: 12, key: 'dernier-rappel', label: 'Last reminder' },
  { day: 14, key: 'fin', label: 'Conversion recorded, or access deactivated + expiry email' },
] as const;

export type StepState = 'sent' | 'skipped' | 'next' | 'upcoming';

export function timeline(statut: StatutOnboarding | null) {
  return ONBOARDING_PLAN.map((step) => {
    let state: StepState = 'upcoming';
    if (statut) {
      const sent = statut.emailsEnvoyés.some((e) => e === step.key || e.startsWith(step.key));
      const closed = statut.phase === 'converti' || statut.phase === 'expiré';
      if (sent || (step.key === 'fin' && closed)) state = 'sent';
      else if (statut.prochaineÉtape && statut.prochaineÉtape.étape.startsWith(step.key)) state = 'next';
      else if (statut.jourÉcoulé >= step.day || closed) state = 'skipped';
    }
    return { ...step, state };
  });
}
