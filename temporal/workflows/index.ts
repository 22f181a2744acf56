// The workflows the worker serves; the bundle entry point (workflowsPath).
export { workflowOnboardingTrial } from './onboarding';
export { workflowPaiementMarketplace } from './payment';
