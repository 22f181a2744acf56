// The queries each workflow type declares, taken from its contract (never a name typed twice), and
// how the workflow page runs one: bounded by a deadline, and a missing worker said instead of waited on.
// The seed's three queries take no argument, so the page's form for each is one button.
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { ONBOARDING_WORKFLOW_TYPE, queryJoursTrial, queryStatutDetaillé } from '../../temporal/workflows/onboarding.contract';
import { PAYMENT_WORKFLOW_TYPE, queryJournalSaga } from '../../temporal/workflows/payment.contract';

interface DeclaredQuery {
  definition: QueryDefinition<unknown, []>;
  /** What the answer tells an operator. */
  description: string;
}

const DECLARED: Record<string, DeclaredQuery[]> = {
  [ONBOARDING_WORKFLOW_TYPE]: [
    { definition: queryStatutDetaillé, description: 'Phase, trial day, emails sent and refused, features activated, subscription, next step and when.' },
    { definition: queryJoursTrial, description: 'Days elapsed since the trial started.' },
  ],
  [PAYMENT_WORKFLOW_TYPE]: [
    { definition: queryJournalSaga, description: 'The saga journal: each step with its provider id, and each compensation with its outcome.' },
  ],
};

/** Every query name any workflow type declares (the page's `query` parameter must be one). */
export const DECLARED_QUERY_NAMES = [...new Set(Object.values(DECLARED).flatMap((qs) => qs.map((q) => q.definition.name)))] as [string, ...string[]];

export interface QueryView { name: string; description: string }

/** The queries a workflow type declares, for the panel. */
export function declaredQueries(workflowType: string): QueryView[] {
  return (DECLARED[workflowType] ?? []).map((q) => ({ name: q.definition.name, description: q.description }));
}

export type QueryAnswer = { name: string; ok: true; answer: unknown } | { name: string; ok: false; reason: string };

/** Runs one declared query of this run; an undeclared name, a closed-and-unqueryable run or a silent worker is a reason, not a throw. */
export async function runDeclaredQuery(client: Client, d: WorkflowExecutionDescription, name: string, opts: { workerPolling: boolean; timeoutMs?: number }): Promise<QueryAnswer> {
  const declared = (DECLARED[d.type] ?? []).find((q) => q.definition.name === name);
  if (!declared) return { name, ok: false, reason: `The ${d.type} workflow declares no query “${name}”.` };
  if (!opts.workerPolling) return { name, ok: false, reason: 'No worker polls this task queue, so none can answer.' };
  const timeoutMs = opts.timeoutMs ?? 5_000;
  try {
    const answer = await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(d.workflowId, d.runId).query(declared.definition));
    return { name, ok: true, answer };
  } catch (error) {
    return { name, ok: false, reason: `No answer within ${timeoutMs / 1000} s: ${(error as Error).message}` };
  }
}
