// The onboarding workflow's contract with its clients, defined once: a name or id that drifted on one side would fail only in production.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { PHASES_ONBOARDING } from './wire-names';

// Defined in wire-names.ts, which browser code imports without the SDK.
export { ONBOARDING_WORKFLOW_TYPE, PHASES_ONBOARDING, onboardingWorkflowId, userIdFromOnboardingWorkflowId } from './wire-names';


export type Phase = (typeof PHASES_ONBOARDING)[number];

export interface DuréesOnboarding {
  j1: Duration;
  j3: Duration;
  j7: Duration;
  j12: Duration;
  j14: Duration;
  /** The length of a "day" for jourÉcoulé and TrialDay. */
  jour: Duration;
}

/** The seed's production schedule. */
export const DURÉES_PRODUCTION: DuréesOnboarding = { j1: '1d', j3: '3d', j7: '7d', j12: '12d', j14: '14d', jour: '1d' };

/** The seed's 14-day plan, in order: each step and the duration from the start that schedules it (none: at once). */
export const PLAN_ONBOARDING = [
  { étape: 'bienvenue', échéance: null },
  { étape: 'guide-démarrage', échéance: 'j1' },
  { étape: 'aide-activation', échéance: 'j3' },
  { étape: 'mi-parcours', échéance: 'j7' },
  { étape: 'dernier-rappel', échéance: 'j12' },
  { étape: 'fin-trial', échéance: 'j14' },
] as const satisfies ReadonlyArray<{ étape: string; échéance: Exclude<keyof DuréesOnboarding, 'jour'> | null }>;
export type Étape = (typeof PLAN_ONBOARDING)[number]['étape'];

export interface StatutOnboarding {
  phase: Phase;
  /** Templates delivered, in order. */
  emailsEnvoyés: string[];
  fonctionnalitésActivées: string[];
  jourÉcoulé: number;
  souscrit: boolean;
  /** The next step that will act given what is known now; null once subscribed or finished. */
  prochaineÉtape: { étape: Étape; prévueLe: string } | null;
  démarréLe: string;
  /** Templates the provider refused for good (bad address…), for support to follow up. */
  emailsÉchoués: string[];
}

export interface EntréeOnboarding {
  tenantId: string;
  utilisateurId: string;
  email: string;
  prénom: string;
  planEssaiId: string;
  durées?: Partial<DuréesOnboarding>;
}

export interface RésultatOnboarding {
  issue: 'converti' | 'expiré';
  emailsEnvoyés: string[];
  jourÉcoulé: number;
}

export interface FonctionnalitéActivée {
  fonctionnalité: string;
}

export interface AbonnementSouscrit {
  planId: string;
  /** Integer cents. */
  montant: number;
}

// The name is also given as a type, so `signal.name` narrows forms and zod enums to the wire literal.
export const signalFonctionnalitéActivée = defineSignal<[FonctionnalitéActivée], 'fonctionnalitéActivée'>('fonctionnalitéActivée');
export const signalAbonnementSouscrit = defineSignal<[AbonnementSouscrit], 'abonnementSouscrit'>('abonnementSouscrit');
export const signalOnboardingComplété = defineSignal<[], 'onboardingComplété'>('onboardingComplété');
export const queryStatutDetaillé = defineQuery<StatutOnboarding, [], 'statutDetaillé'>('statutDetaillé');
export const queryJoursTrial = defineQuery<number, [], 'joursTrial'>('joursTrial');

/** The email activity's idempotency key: one delivery per trial and template, whatever retries or kills happen. */
export const emailIdempotencyKey = (workflowId: string, template: string) => `${workflowId}:${template}`;
