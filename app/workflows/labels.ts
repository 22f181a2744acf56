// Values shared by server filters and the pages' select boxes (a *.server module is not
// shipped to the browser, so they cannot live there).
// The contracts themselves import the Temporal SDK, so only their SDK-free names file is imported here.
import { ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE, PHASES_ONBOARDING } from '../../temporal/workflows/wire-names';

export { ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE };
export const PHASES = PHASES_ONBOARDING;
export const STATUSES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew'] as const;
export const WORKFLOW_TYPES = [ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE] as const;
