// The onboarding workflow against the real Temporal dev server and PostgreSQL, with one
// "day" per DAY ms (2 s). Scenarios run concurrently on one worker; each has its own user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { injectFault } from '../../ports/faults';
import { OnboardingPhase, Subscribed, TenantId, TrialDay } from '../search-attributes';
import { startOnboarding, TenantMismatchError } from '../starters';
import { uid } from '../../test-support/ids';
import { DAY, mailFor, mailRequestsFor, startTestStack, TEST_DURÉES, waitFor, type TestStack } from '../../test-support/temporal';
import type { workflowOnboardingTrial } from './onboarding';
import {
  ONBOARDING_WORKFLOW_TYPE,
  onboardingWorkflowId,
  queryJoursTrial,
  queryStatutDetaillé,
  signalAbonnementSouscrit,
  signalFonctionnalitéActivée,
  signalOnboardingComplété,
  type AbonnementSouscrit,
  type EntréeOnboarding,
  type FonctionnalitéActivée,
  type StatutOnboarding,
} from './onboarding.contract';

type Handle = WorkflowHandle<typeof workflowOnboardingTrial>;

let s: TestStack;
const tenantId = uid('t-onboarding');

beforeAll(async () => {
  s = await startTestStack('onboarding');
});
afterAll(async () => {
  await s?.close();
});

function entrée(utilisateurId: string): EntréeOnboarding {
  return { tenantId, utilisateurId, email: `${utilisateurId}@example.test`, prénom: 'Camille', planEssaiId: 'essai-14j', durées: TEST_DURÉES };
}

/** Starts a trial; `avant` arms faults first (it gets the workflow id), so none can miss its step. */
async function démarrer(avant?: (workflowId: string) => Promise<unknown>): Promise<{ h: Handle; workflowId: string; startedAt: number }> {
  const utilisateurId = uid('u');
  await avant?.(onboardingWorkflowId(utilisateurId));
  const h = await startOnboarding(s.client, entrée(utilisateurId), { taskQueue: s.taskQueue });
  const { startTime } = await h.describe();
  return { h, workflowId: h.workflowId, startedAt: startTime.getTime() };
}

const statut = (h: Handle) => h.query(queryStatutDetaillé);
const attendreStatut = (h: Handle, what: string, ok: (st: StatutOnboarding) => boolean, timeoutMs = 20 * DAY) =>
  waitFor(what, async () => {
    const st = await statut(h);
    return ok(st) ? st : undefined;
  }, timeoutMs);
const souscrire = (h: Handle, montant = 4_900) => h.signal(signalAbonnementSouscrit, { planId: 'pro-mensuel', montant });

async function attributs(h: Handle) {
  const { typedSearchAttributes: sa } = await h.describe();
  return { tenant: sa.get(TenantId), phase: sa.get(OnboardingPhase), jour: sa.get(TrialDay), souscrit: sa.get(Subscribed) };
}

describe.concurrent('workflowOnboardingTrial', () => {
  it('runs the whole seed timeline for a user who never activates nor subscribes, then expires the trial', async () => {
    const { h, workflowId } = await démarrer();

    const j0 = await statut(h);
    expect(j0).toMatchObject({ phase: 'inscription', souscrit: false, fonctionnalitésActivées: [], emailsÉchoués: [] });
    expect(j0.jourÉcoulé).toBe(0);
    expect(await h.query(queryJoursTrial)).toBe(0);
    expect(new Date(j0.démarréLe).toISOString()).toBe(j0.démarréLe);
    expect(await attributs(h)).toEqual({ tenant: tenantId, phase: 'inscription', jour: 0, souscrit: false });

    const accueilli = await attendreStatut(h, 'welcome email', (st) => st.emailsEnvoyés.includes('bienvenue-trial'));
    expect(accueilli.prochaineÉtape?.étape).toBe('guide-démarrage');
    expect(Date.parse(accueilli.prochaineÉtape!.prévueLe) - Date.parse(accueilli.démarréLe)).toBe(DAY);

    const j3 = await attendreStatut(h, 'J+3 help email', (st) => st.emailsEnvoyés.includes('aide-activation'));
    expect(j3.phase).toBe('inscription');
    expect(j3.jourÉcoulé).toBeGreaterThanOrEqual(3);
    expect(j3.prochaineÉtape?.étape).toBe('mi-parcours');

    const j7 = await attendreStatut(h, 'conversion phase', (st) => st.phase === 'conversion');
    expect(j7.jourÉcoulé).toBeGreaterThanOrEqual(7);
    expect(await h.query(queryJoursTrial)).toBeGreaterThanOrEqual(7);
    expect((await attributs(h)).phase).toBe('conversion');

    const résultat = await h.result();
    const emails = ['bienvenue-trial', 'guide-démarrage', 'aide-activation', 'mi-parcours', 'dernier-rappel-trial', 'trial-expiré'];
    expect(résultat).toMatchObject({ issue: 'expiré', emailsEnvoyés: emails });

    const fin = await statut(h);
    expect(fin).toMatchObject({ phase: 'expiré', souscrit: false, prochaineÉtape: null, emailsEnvoyés: emails });
    expect(fin.jourÉcoulé).toBeGreaterThanOrEqual(14);
    expect(await h.query(queryJoursTrial)).toBe(fin.jourÉcoulé);
    expect(await attributs(h)).toEqual({ tenant: tenantId, phase: 'expiré', jour: fin.jourÉcoulé, souscrit: false });

    expect(await mailFor(s.db, workflowId)).toEqual(Object.fromEntries(emails.map((t) => [t, 1])));
    // Nothing was asked twice either: no retry happened on this path.
    expect(await mailRequestsFor(s.db, workflowId)).toEqual(Object.fromEntries(emails.map((t) => [t, 1])));
    expect(await s.db.salesAlert.count({ where: { workflowId } })).toBe(1);
    const compte = await s.db.trialAccount.findUniqueOrThrow({ where: { workflowId } });
    expect(compte).toMatchObject({ status: 'expired', tenantId, trialPlanId: 'essai-14j' });
    expect(compte.accessDisabledAt).toBeInstanceOf(Date);
    expect(compte.providerTrialId).toMatch(/^sub_local_/);
  });

  it('skips the J+1 guide and J+3 nudges for a user who activates before J+1, and takes each signal in each open phase', async () => {
    const { h, workflowId } = await démarrer();
    // inscription: a feature (sent twice by a retrying client, kept once)
    await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'import-csv' });
    await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'import-csv' });
    const activé = await attendreStatut(h, 'activation phase, welcome sent', (st) => st.phase === 'activation' && st.emailsEnvoyés.includes('bienvenue-trial'));
    expect(activé.fonctionnalitésActivées).toEqual(['import-csv']);
    expect(activé.prochaineÉtape?.étape).toBe('mi-parcours');
    expect((await attributs(h)).phase).toBe('activation');

    // activation: another feature, then onboardingComplété
    await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'webhooks' });
    expect((await attendreStatut(h, 'second feature', (st) => st.fonctionnalitésActivées.length === 2)).phase).toBe('activation');
    await h.signal(signalOnboardingComplété);
    await attendreStatut(h, 'engagement phase', (st) => st.phase === 'engagement');
    expect((await attributs(h)).phase).toBe('engagement');

    // engagement: a feature keeps the phase
    await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'api' });
    expect(await attendreStatut(h, 'third feature', (st) => st.fonctionnalitésActivées.length === 3)).toMatchObject({ phase: 'engagement', fonctionnalitésActivées: ['import-csv', 'webhooks', 'api'] });

    // conversion: both signals are taken without leaving it
    await attendreStatut(h, 'conversion phase', (st) => st.phase === 'conversion');
    await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'sso' });
    await h.signal(signalOnboardingComplété);
    const conversion = await attendreStatut(h, 'fourth feature', (st) => st.fonctionnalitésActivées.length === 4);
    expect(conversion.phase).toBe('conversion');

    const résultat = await h.result();
    expect(résultat.emailsEnvoyés).toEqual(['bienvenue-trial', 'mi-parcours', 'dernier-rappel-trial', 'trial-expiré']);
    expect(await s.db.salesAlert.count({ where: { workflowId } })).toBe(0);
    const miParcours = await s.db.localMailMessage.findUniqueOrThrow({ where: { idempotencyKey: `${workflowId}:mi-parcours` } });
    expect(miParcours.body).toContain('import-csv, webhooks, api');
    expect(miParcours.body).toContain('7 jours');
  });

  it('sends the guide but no J+3 nudge to a user who activates between J+1 and J+3, and converts one subscribing in the conversion phase at once', async () => {
    const { h, workflowId, startedAt } = await démarrer();
    await attendreStatut(h, 'guide email', (st) => st.emailsEnvoyés.includes('guide-démarrage'));
    await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'sync-hubspot' });
    await attendreStatut(h, 'mi-parcours email', (st) => st.emailsEnvoyés.includes('mi-parcours'));
    expect((await statut(h)).phase).toBe('conversion');
    await souscrire(h, 9_900);

    const résultat = await h.result();
    expect(résultat).toMatchObject({ issue: 'converti', emailsEnvoyés: ['bienvenue-trial', 'guide-démarrage', 'mi-parcours'] });
    // Recorded promptly, not at J+12 or J+14.
    expect(Date.now() - startedAt).toBeLessThan(12 * DAY);
    expect(await s.db.salesAlert.count({ where: { workflowId } })).toBe(0);
    expect(await s.db.trialAccount.findUniqueOrThrow({ where: { workflowId } })).toMatchObject({ status: 'converted', planId: 'pro-mensuel', amountCents: 9_900 });
    expect(await attributs(h)).toMatchObject({ phase: 'converti', souscrit: true });
  });

  it('converts a user subscribing in the inscription phase at once; the closed workflow still answers queries and refuses signals', async () => {
    const { h, workflowId, startedAt } = await démarrer();
    expect((await statut(h)).phase).toBe('inscription');
    // Recorded in the history before any J+1 decision: whatever the machine's load, no guide can follow.
    await souscrire(h);
    const résultat = await h.result();
    expect(résultat.issue).toBe('converti');
    expect(['bienvenue-trial']).toEqual(expect.arrayContaining(résultat.emailsEnvoyés));
    expect(Date.now() - startedAt).toBeLessThan(3 * DAY);

    const fin = await statut(h);
    expect(fin).toMatchObject({ phase: 'converti', souscrit: true, prochaineÉtape: null, emailsEnvoyés: résultat.emailsEnvoyés });
    expect(await h.query(queryJoursTrial)).toBeLessThan(3);
    expect(await attributs(h)).toEqual({ tenant: tenantId, phase: 'converti', jour: fin.jourÉcoulé, souscrit: true });
    expect(await mailFor(s.db, workflowId)).toEqual(Object.fromEntries(résultat.emailsEnvoyés.map((t) => [t, 1])));
    expect(await s.db.trialAccount.findUniqueOrThrow({ where: { workflowId } })).toMatchObject({ status: 'converted', amountCents: 4_900 });

    await expect(h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'tard' })).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await expect(h.signal(signalOnboardingComplété)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await expect(souscrire(h)).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('converts a user subscribing in the activation phase', async () => {
    const { h, workflowId } = await démarrer();
    await h.signal(signalFonctionnalitéActivée, { fonctionnalité: 'import-csv' });
    await attendreStatut(h, 'activation phase', (st) => st.phase === 'activation');
    await souscrire(h);
    const résultat = await h.result();
    expect(résultat.issue).toBe('converti');
    expect(résultat.emailsEnvoyés.filter((t) => t !== 'bienvenue-trial')).toEqual([]);
    expect(await mailFor(s.db, workflowId)).toEqual(Object.fromEntries(résultat.emailsEnvoyés.map((t) => [t, 1])));
    expect(await statut(h)).toMatchObject({ phase: 'converti', fonctionnalitésActivées: ['import-csv'] });
  });

  it('converts a user subscribing in the engagement phase, and counts a completed onboarding as activation', async () => {
    const { h, workflowId } = await démarrer();
    await h.signal(signalOnboardingComplété);
    await attendreStatut(h, 'engagement phase', (st) => st.phase === 'engagement');
    // Past J+3 with no guide, no nudge, no sales alert.
    await waitFor('J+3', async () => (await h.query(queryJoursTrial)) >= 4);
    expect((await statut(h)).emailsEnvoyés).toEqual(['bienvenue-trial']);
    expect((await statut(h)).phase).toBe('engagement');
    await souscrire(h);
    expect(await h.result()).toMatchObject({ issue: 'converti', emailsEnvoyés: ['bienvenue-trial'] });
    expect(await s.db.salesAlert.count({ where: { workflowId } })).toBe(0);
  });

  it('sends no expiry email when the subscription lands while the J+12 email is in flight, and records the conversion', async () => {
    // Held long enough that the J+14 deadline passes while it is in flight.
    const { h, workflowId } = await démarrer((id) => injectFault(s.db, { operation: 'mail.send', mode: 'delay', target: `${id}:dernier-rappel-trial`, times: 1, delayMs: 2 * DAY + 500 }));
    const clé = `${workflowId}:dernier-rappel-trial`;
    await waitFor('J+12 email in flight', async () => (await s.db.emailDelivery.findUnique({ where: { idempotencyKey: clé } }))?.status === 'sending', 20 * DAY, 50);
    await souscrire(h);

    const résultat = await h.result();
    expect(résultat.issue).toBe('converti');
    expect(résultat.emailsEnvoyés).toEqual(['bienvenue-trial', 'guide-démarrage', 'aide-activation', 'mi-parcours', 'dernier-rappel-trial']);
    // The J+12 email in flight when the subscription arrived was delivered once; no expiry email.
    expect(await mailFor(s.db, workflowId)).toEqual(Object.fromEntries(résultat.emailsEnvoyés.map((t) => [t, 1])));
    expect(await s.db.trialAccount.findUniqueOrThrow({ where: { workflowId } })).toMatchObject({ status: 'converted', accessDisabledAt: null });
    expect(await statut(h)).toMatchObject({ phase: 'converti', souscrit: true });
  });

  it('sends no J+3 help email when the subscription lands while the sales alert is in flight', async () => {
    let faute = 0n;
    const { h, workflowId } = await démarrer(async (id) => {
      faute = await injectFault(s.db, { operation: 'sales.alert', mode: 'delay', target: `${id}:alerte-sales:j3`, times: 1, delayMs: DAY });
    });
    const clé = `${workflowId}:alerte-sales:j3`;
    await waitFor('sales alert in flight', async () => (await s.db.providerFault.findUniqueOrThrow({ where: { id: faute } })).hits === 1, 20 * DAY, 50);
    await souscrire(h);

    const résultat = await h.result();
    expect(résultat).toMatchObject({ issue: 'converti', emailsEnvoyés: ['bienvenue-trial', 'guide-démarrage'] });
    expect(await s.db.salesAlert.count({ where: { idempotencyKey: clé } })).toBe(1);
    expect(await mailFor(s.db, workflowId)).toEqual({ 'bienvenue-trial': 1, 'guide-démarrage': 1 });
  });

  it('does not lose a subscription sent with signalWithStart before the first step runs', async () => {
    const utilisateurId = uid('u');
    const workflowId = onboardingWorkflowId(utilisateurId);
    const h: Handle = await s.client.workflow.signalWithStart<typeof workflowOnboardingTrial, [AbonnementSouscrit]>(ONBOARDING_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: s.taskQueue,
      args: [entrée(utilisateurId)],
      signal: signalAbonnementSouscrit,
      signalArgs: [{ planId: 'annuel', montant: 49_000 }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    expect(await h.result()).toMatchObject({ issue: 'converti', emailsEnvoyés: [] });
    expect(await mailFor(s.db, workflowId)).toEqual({});
    expect(await s.db.providerObject.count({ where: { idempotencyKey: `${workflowId}:trial` } })).toBe(0);
    expect(await s.db.trialAccount.findUniqueOrThrow({ where: { workflowId } })).toMatchObject({ status: 'converted', planId: 'annuel', amountCents: 49_000 });
    // Started without search attributes, the workflow set them itself.
    expect(await attributs(h)).toMatchObject({ tenant: tenantId, phase: 'converti', souscrit: true });
  });

  it('does not lose a feature activation sent with signalWithStart: no guide at J+1', async () => {
    const utilisateurId = uid('u');
    const h: Handle = await s.client.workflow.signalWithStart<typeof workflowOnboardingTrial, [FonctionnalitéActivée]>(ONBOARDING_WORKFLOW_TYPE, {
      workflowId: onboardingWorkflowId(utilisateurId),
      taskQueue: s.taskQueue,
      args: [entrée(utilisateurId)],
      signal: signalFonctionnalitéActivée,
      signalArgs: [{ fonctionnalité: 'connecteur-salesforce' }],
    });
    await waitFor('J+2', async () => (await h.query(queryJoursTrial)) >= 2);
    expect(await statut(h)).toMatchObject({ phase: 'activation', fonctionnalitésActivées: ['connecteur-salesforce'], emailsEnvoyés: ['bienvenue-trial'] });
    await souscrire(h);
    expect((await h.result()).emailsEnvoyés).toEqual(['bienvenue-trial']);
  });

  it('delivers an email once when the provider sent it but the answer was lost', async () => {
    const { h, workflowId } = await démarrer((id) => injectFault(s.db, { operation: 'mail.send', mode: 'lost_answer', target: `${id}:bienvenue-trial`, times: 1 }));
    const clé = `${workflowId}:bienvenue-trial`;
    await attendreStatut(h, 'welcome email', (st) => st.emailsEnvoyés.includes('bienvenue-trial'));
    await souscrire(h);
    await h.result();
    // One message, two requests: the retry carried the same key and the provider answered with the first.
    expect(await s.db.localMailMessage.findMany({ where: { idempotencyKey: clé }, select: { requestCount: true } })).toEqual([{ requestCount: 2 }]);
    expect(await s.db.emailDelivery.findUniqueOrThrow({ where: { idempotencyKey: clé } })).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('lists an email the provider refuses for good and goes on with the sequence', async () => {
    const { h, workflowId } = await démarrer((id) => injectFault(s.db, { operation: 'mail.send', mode: 'reject', target: `${id}:guide-démarrage` }));
    const st = await attendreStatut(h, 'J+3 help email', (x) => x.emailsEnvoyés.includes('aide-activation'));
    expect(st.emailsÉchoués).toEqual(['guide-démarrage']);
    expect(st.emailsEnvoyés).toEqual(['bienvenue-trial', 'aide-activation']);
    expect(await s.db.emailDelivery.findUniqueOrThrow({ where: { idempotencyKey: `${workflowId}:guide-démarrage` } })).toMatchObject({ status: 'failed', attempts: 1 });
    await souscrire(h);
    await h.result();
  });

  it('starts once per user: a repeated start, even after the end, returns the same workflow; another tenant is refused', async () => {
    const utilisateurId = uid('u');
    const premier = await startOnboarding(s.client, entrée(utilisateurId), { taskQueue: s.taskQueue });
    const second = await startOnboarding(s.client, entrée(utilisateurId), { taskQueue: s.taskQueue });
    expect(second.workflowId).toBe(premier.workflowId);
    expect((await second.describe()).runId).toBe((await premier.describe()).runId);
    expect(premier.workflowId).toBe(`onboarding-${utilisateurId}`);
    await expect(startOnboarding(s.client, { ...entrée(utilisateurId), tenantId: 'autre-tenant' }, { taskQueue: s.taskQueue })).rejects.toBeInstanceOf(TenantMismatchError);

    await souscrire(premier);
    await premier.result();
    const après = await startOnboarding(s.client, entrée(utilisateurId), { taskQueue: s.taskQueue });
    const description = await après.describe();
    expect(description.runId).toBe((await premier.describe()).runId);
    expect(description.status.name).toBe('COMPLETED');
  });
});
