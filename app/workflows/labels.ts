// Values shared by server filters and the pages' select boxes (a *.server module is not
// shipped to the browser, so they cannot live there).
// The contracts themselves import the Temporal SDK, so only their SDK-free names file is imported here.
import type { TFunction } from 'i18next';
import { ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE, PHASES_ONBOARDING } from '../../temporal/workflows/wire-names';

export { ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE };
export const PHASES = PHASES_ONBOARDING;
export const STATUSES = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew'] as const;
export type WorkflowStatusName = (typeof STATUSES)[number];
// Each status's words, one per status on every page, are in the `workflows` namespace
// (status.<name>); components translate the name (components/workflow-status.tsx).
/** A status as visibility names it, from either spelling: visibility's (Canceled, TimedOut) or the SDK's (CANCELLED, TIMED_OUT). */
export function workflowStatusName(status: string): WorkflowStatusName | null {
  const key = status.replace(/_/g, '').toLowerCase().replace(/^cancelled$/, 'canceled');
  return STATUSES.find((s) => s.toLowerCase() === key) ?? null;
}

/** A status inside a sentence ("the workflow is terminated"): the namespace's word, lower-cased; a status the console does not know, as Temporal names it. */
export function statusInSentence(t: TFunction<'workflows'>, status: string): string {
  const name = workflowStatusName(status);
  return name ? t(`status.${name}`).toLocaleLowerCase() : status.toLowerCase();
}
export const WORKFLOW_TYPES = [ONBOARDING_WORKFLOW_TYPE, PAYMENT_WORKFLOW_TYPE] as const;

/** Page sizes of the workflow list; 500 is the Temporal UI's maximum. */
export const PAGE_SIZES = [25, 50, 100, 200, 500] as const;
/** Comparisons offered on a custom search attribute (ordered ones only for Int, Double, Datetime). */
export const ATTRIBUTE_OPS = { eq: '=', ne: '!=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;
/** The list takes up to three search-attribute conditions, as a1/o1/v1 … a3/o3/v3. */
export const ATTRIBUTE_SLOTS = [1, 2, 3] as const;

/** The workflow list's columns besides the id (always shown); `sa:<Name>` adds a custom search attribute. Their headings: `workflows:columns.<id>`. */
export const WORKFLOW_COLUMNS = ['type', 'status', 'stage', 'started', 'closed', 'historyLength', 'taskQueue'] as const;
export type WorkflowColumn = (typeof WORKFLOW_COLUMNS)[number];
export const DEFAULT_WORKFLOW_COLUMNS: WorkflowColumn[] = ['type', 'status', 'stage', 'started', 'closed'];
/** A search-attribute column's id: `sa:` and the attribute's name. */
export const ATTRIBUTE_COLUMN = /^sa:[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_WORKFLOW_COLUMNS = 16;
