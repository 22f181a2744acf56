// Values shared by server filters and the pages' select boxes (a *.server module is not
// shipped to the browser, so they cannot live there).
export const PHASES = ['inscription', 'activation', 'engagement', 'conversion', 'converti', 'expiré'] as const;
export const STATUSES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew'] as const;
export const WORKFLOW_TYPES = ['workflowOnboardingTrial', 'workflowPaiementMarketplace'] as const;
