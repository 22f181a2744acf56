// A workflow's status as every page shows it: the same words (STATUS_WORDS) and the same badge,
// whether the status came from visibility (Canceled) or from describe (CANCELLED).
import { STATUS_WORDS, workflowStatusName } from '~/workflows/labels';

/** The words alone, for a sentence ("workflow terminated"). */
export const workflowStatusWords = (status: string) => {
  const name = workflowStatusName(status);
  return name ? STATUS_WORDS[name] : status;
};

export function WorkflowStatus({ status, testId }: { status: string; testId?: string }) {
  const name = workflowStatusName(status);
  return (
    <span className={`badge ${name?.toLowerCase() ?? ''}`} data-testid={testId} data-status={name ?? status}>
      {workflowStatusWords(status)}
    </span>
  );
}
