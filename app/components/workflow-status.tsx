// A workflow's status as every page shows it: the same words (`workflows:status.<name>`) and the
// same badge, whether the status came from visibility (Canceled) or from describe (CANCELLED).
import { useTranslation } from 'react-i18next';
import { workflowStatusName } from '~/workflows/labels';

/** The words of a status, for a sentence ("workflow terminated") or a select box; an unknown status as it is. */
export function useWorkflowStatusWords() {
  const { t } = useTranslation('workflows');
  return (status: string) => {
    const name = workflowStatusName(status);
    return name ? t(`status.${name}`) : status;
  };
}

export function WorkflowStatus({ status, testId }: { status: string; testId?: string }) {
  const words = useWorkflowStatusWords();
  const name = workflowStatusName(status);
  return (
    <span className={`badge ${name?.toLowerCase() ?? ''}`} data-testid={testId} data-status={name ?? status}>
      {words(status)}
    </span>
  );
}
