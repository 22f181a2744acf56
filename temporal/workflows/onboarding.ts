// The 14-day trial onboarding of seed case 2, one workflow per trial user
// (`onboarding-<utilisateurId>`). Signal and query names are the seed's wire names (onboarding.contract.ts).
//
// Fixes to the seed, each covered by a test in onboarding.test.ts:
// - statutDetaillé reports `conversion` from J+7 (the conversion emails start) while the user has
//   not subscribed, and `expiré` once access is disabled; the seed never reported either.
// - A subscription stops everything at once: the workflow wakes, records the conversion and
//   completes (a mature product records conversion promptly instead of waiting for J+14).
//   `souscrit` is checked right before scheduling every email and alert. Workflow code is
//   single-threaded, so a signal that lands while an activity is in flight only runs between
//   awaits: the email already scheduled goes (the user subscribed after it was decided), every
//   later step sees `souscrit` and is skipped. That is the seed's J+14 double-send, closed.
// - Each email is sent at most once per (workflowId, template): envoyerEmail carries the key
//   `<workflowId>:<template>` and records the delivery in PostgreSQL (activities/onboarding.ts).
// - Deadlines count from the workflow's start, not from the previous step, and a daily tick keeps
//   jourÉcoulé and the TrialDay search attribute exact to the day (workflow time only moves
//   when the workflow wakes; queries do not move it).
// - A feature signal repeated by a client is recorded once; completing onboarding counts as
//   activation for the J+1 and J+3 nudges; an email the provider refuses for good is listed in
//   emailsÉchoués and the sequence goes on instead of failing the whole workflow.
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration, SearchAttributeUpdatePair } from '@temporalio/common';
import { msToNumber } from './duration';
import type { OnboardingActivities } from '../activities/onboarding';
import { EMAIL_REJETÉ } from './failure-types';
import {
  DURÉES_PRODUCTION,
  emailIdempotencyKey,
  PLAN_ONBOARDING,
  queryJoursTrial,
  queryStatutDetaillé,
  signalAbonnementSouscrit,
  signalFonctionnalitéActivée,
  signalOnboardingComplété,
  type EntréeOnboarding,
  type Phase,
  type RésultatOnboarding,
  type StatutOnboarding,
  type Étape,
} from './onboarding.contract';
import { OnboardingPhase, Subscribed, TenantId, TrialDay } from '../search-attributes';

// Calls to the outside (Stripe, the mail provider, the sales team).
const externes = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  heartbeatTimeout: '10s',
  // About 13 minutes of attempts: a provider outage shorter than that loses no email.
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10, nonRetryableErrorTypes: [EMAIL_REJETÉ] },
});
// Bookkeeping in our own database: retried until it succeeds.
const registre = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export async function workflowOnboardingTrial(params: EntréeOnboarding): Promise<RésultatOnboarding> {
  const { tenantId, utilisateurId, email, prénom, planEssaiId } = params;
  const info = workflowInfo();
  const workflowId = info.workflowId;
  const durées = { ...DURÉES_PRODUCTION, ...params.durées };
  const jour = msToNumber(durées.jour);
  const démarré = info.startTime.getTime();
  const échéance = (d: Duration) => démarré + msToNumber(d);
  const planning: Array<{ étape: Étape; à: number }> = PLAN_ONBOARDING.map((p) => ({ étape: p.étape, à: p.échéance ? échéance(durées[p.échéance]) : démarré }));
  const débutConversion = échéance(durées.j7);
  const joursRestants = (depuis: Duration) => Math.round((msToNumber(durées.j14) - msToNumber(depuis)) / jour);

  let souscrit = false;
  let abonnement: { planId: string | null; montant: number | null } = { planId: null, montant: null };
  let onboardingComplété = false;
  let accèsDésactivé = false;
  let terminé = false;
  let étapeSuivante = 0;
  const fonctionnalitésActivées: string[] = [];
  const emailsEnvoyés: string[] = [];
  const emailsÉchoués: string[] = [];

  const jourÉcoulé = () => Math.max(0, Math.floor((Date.now() - démarré) / jour));
  const activé = () => fonctionnalitésActivées.length > 0 || onboardingComplété;
  const phase = (): Phase =>
    souscrit ? 'converti'
    : accèsDésactivé ? 'expiré'
    : Date.now() >= débutConversion ? 'conversion'
    : onboardingComplété ? 'engagement'
    : fonctionnalitésActivées.length > 0 ? 'activation'
    : 'inscription';

  // Whether a scheduled step would act if it ran with what is known now.
  const agirait = (étape: Étape) => !souscrit && ((étape !== 'guide-démarrage' && étape !== 'aide-activation') || !activé());

  const prochaineÉtape = (): StatutOnboarding['prochaineÉtape'] => {
    if (souscrit || terminé) return null;
    const suivante = planning.slice(étapeSuivante).find((p) => agirait(p.étape));
    return suivante ? { étape: suivante.étape, prévueLe: new Date(suivante.à).toISOString() } : null;
  };

  // Search attributes as last upserted, starting from what the starter set.
  const publiés = {
    tenant: info.typedSearchAttributes.get(TenantId),
    phase: info.typedSearchAttributes.get(OnboardingPhase),
    jour: info.typedSearchAttributes.get(TrialDay),
    souscrit: info.typedSearchAttributes.get(Subscribed),
  };
  const synchroniser = () => {
    const maintenant = { tenant: tenantId, phase: phase(), jour: jourÉcoulé(), souscrit };
    const changements: SearchAttributeUpdatePair[] = [];
    if (publiés.tenant !== maintenant.tenant) changements.push({ key: TenantId, value: maintenant.tenant });
    if (publiés.phase !== maintenant.phase) changements.push({ key: OnboardingPhase, value: maintenant.phase });
    if (publiés.jour !== maintenant.jour) changements.push({ key: TrialDay, value: maintenant.jour });
    if (publiés.souscrit !== maintenant.souscrit) changements.push({ key: Subscribed, value: maintenant.souscrit });
    if (changements.length === 0) return;
    upsertSearchAttributes(changements);
    Object.assign(publiés, maintenant);
  };

  // Handlers go in before the first await, so a signal sent with signalWithStart is not lost.
  setHandler(signalFonctionnalitéActivée, ({ fonctionnalité }) => {
    if (typeof fonctionnalité !== 'string' || !fonctionnalité || fonctionnalitésActivées.includes(fonctionnalité)) return;
    fonctionnalitésActivées.push(fonctionnalité);
    synchroniser();
  });
  setHandler(signalAbonnementSouscrit, ({ planId, montant }) => {
    if (souscrit) return;
    souscrit = true;
    if (!Number.isSafeInteger(montant)) log.warn('abonnementSouscrit: montant is not integer cents; recorded without it', { montant });
    abonnement = { planId: typeof planId === 'string' ? planId : null, montant: Number.isSafeInteger(montant) ? montant : null };
    synchroniser();
  });
  setHandler(signalOnboardingComplété, () => {
    onboardingComplété = true;
    synchroniser();
  });
  setHandler(queryStatutDetaillé, (): StatutOnboarding => ({
    phase: phase(),
    emailsEnvoyés: [...emailsEnvoyés],
    fonctionnalitésActivées: [...fonctionnalitésActivées],
    jourÉcoulé: jourÉcoulé(),
    souscrit,
    prochaineÉtape: prochaineÉtape(),
    démarréLe: new Date(démarré).toISOString(),
    emailsÉchoués: [...emailsÉchoués],
  }));
  setHandler(queryJoursTrial, () => jourÉcoulé());

  /** Sleeps until `à`, waking each day boundary to move TrialDay, and at once on subscription. */
  async function attendreJusquà(à: number): Promise<void> {
    for (;;) {
      const maintenant = Date.now();
      if (souscrit || maintenant >= à) return;
      const prochainJour = démarré + (Math.floor((maintenant - démarré) / jour) + 1) * jour;
      await condition(() => souscrit, Math.max(1, Math.min(à, prochainJour) - maintenant));
      synchroniser();
    }
  }

  /** Sends a template unless the user subscribed (or `encoreUtile` turned false) since the step began. */
  async function envoyer(template: string, variables: Record<string, string | number>, encoreUtile: () => boolean = () => true) {
    if (souscrit || !encoreUtile()) return;
    try {
      await externes.envoyerEmail({ tenantId, workflowId, à: email, template, variables, idempotencyKey: emailIdempotencyKey(workflowId, template) });
      emailsEnvoyés.push(template);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      emailsÉchoués.push(template);
      log.warn('email not delivered; the sequence goes on', { template, error: error.cause?.message ?? error.message });
    }
  }

  const étapes: Record<Étape, () => Promise<void>> = {
    bienvenue: async () => {
      // A trial that cannot be created fails the workflow, visibly, for on-call to fix and reset.
      await externes.créerTrialStripe({ tenantId, workflowId, utilisateurId, email, planEssaiId, joursEssai: joursRestants(0) });
      await envoyer('bienvenue-trial', { prénom });
    },
    'guide-démarrage': async () => {
      await envoyer('guide-démarrage', { prénom }, () => !activé());
    },
    'aide-activation': async () => {
      if (souscrit || activé()) return;
      try {
        await externes.envoyerAlerteSales({ tenantId, workflowId, utilisateurId, email, raison: 'aucune_activation_j3', idempotencyKey: `${workflowId}:alerte-sales:j3` });
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        log.warn('sales alert not delivered', { error: error.cause?.message ?? error.message });
      }
      await envoyer('aide-activation', { prénom }, () => !activé());
    },
    'mi-parcours': async () => {
      await envoyer('mi-parcours', { prénom, fonctionnalités: fonctionnalitésActivées.join(', '), joursRestants: joursRestants(durées.j7) });
    },
    'dernier-rappel': async () => {
      await envoyer('dernier-rappel-trial', { prénom, joursRestants: joursRestants(durées.j12) });
    },
    'fin-trial': async () => {
      if (souscrit) return;
      await registre.désactiverAccès({ tenantId, workflowId, utilisateurId });
      accèsDésactivé = true;
      synchroniser();
      await envoyer('trial-expiré', { prénom });
    },
  };

  synchroniser();
  for (; étapeSuivante < planning.length && !souscrit; étapeSuivante++) {
    const { étape, à } = planning[étapeSuivante]!;
    await attendreJusquà(à);
    if (souscrit) break;
    await étapes[étape]();
    synchroniser();
  }

  // Also reached when the subscription arrived while the trial was being deactivated: the conversion wins.
  if (souscrit) {
    await registre.enregistrerConversion({ tenantId, workflowId, utilisateurId, email, planEssaiId, ...abonnement });
  }
  terminé = true;
  synchroniser();
  await condition(allHandlersFinished);
  return { issue: souscrit ? 'converti' : 'expiré', emailsEnvoyés: [...emailsEnvoyés], jourÉcoulé: jourÉcoulé() };
}
