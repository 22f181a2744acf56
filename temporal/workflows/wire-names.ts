// The contracts' names and id rules that browser code and finance/ need, kept free of the Temporal SDK
// (which adds ~125 KB to the browser bundle); the contract files re-export them.
import type * as workflows from './index';

/** Workflow types: the worker registers each workflow under its exported function's name. */
export const ONBOARDING_WORKFLOW_TYPE = 'workflowOnboardingTrial' satisfies keyof typeof workflows;
export const PAYMENT_WORKFLOW_TYPE = 'workflowPaiementMarketplace' satisfies keyof typeof workflows;

/** The onboarding's phases, as statutDetaillé and the OnboardingPhase search attribute carry them. */
export const PHASES_ONBOARDING = ['inscription', 'activation', 'engagement', 'conversion', 'converti', 'expiré'] as const;

const ONBOARDING_ID_PREFIX = 'onboarding-';
/** One workflow per trial user: a repeated start finds the trial already there. */
export const onboardingWorkflowId = (userId: string) => `${ONBOARDING_ID_PREFIX}${userId}`;
/** The trial user of an onboarding workflow id; null for any other id. */
export const userIdFromOnboardingWorkflowId = (workflowId: string) =>
  workflowId.startsWith(ONBOARDING_ID_PREFIX) ? workflowId.slice(ONBOARDING_ID_PREFIX.length) : null;

/** One saga per order: a repeated start finds the saga already there, so an order is never charged twice. */
export const paymentWorkflowId = (commandeId: string) => `payment-${commandeId}`;

/** The Temporal header that carries the console request's id from a start or signal to the activities it causes. */
export const REQUEST_ID_HEADER = 'vigie-request-id';

/** The saga's compensations, as activities and the journal name them (payment.contract's ActionCompensation). */
export const COMPENSATION_ACTIONS = ['rembourserAcheteur', 'inverserTransfertVendeur', 'annulerFactureAssurance'] as const;
