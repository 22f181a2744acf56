// The queries each workflow type declares, taken from its contract (never a name typed twice), and
// how the workflow page runs one: bounded by a deadline, and a missing worker said instead of waited on.
// The seed's three queries take no argument, so the page's form for each is one button.
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { ONBOARDING_WORKFLOW_TYPE, queryJoursTrial, queryStatutDetaillé } from '../../temporal/workflows/onboarding.contract';
import { PAYMENT_WORKFLOW_TYPE, queryJournalSaga } from '../../temporal/workflows/payment.contract';
import type { WorkflowsT } from './history.server';

/** Each query's description, what the answer tells an operator, is `workflows:queries.<name>`. */
const DECLARED: Record<string, Array<QueryDefinition<unknown, []>>> = {
  [ONBOARDING_WORKFLOW_TYPE]: [queryStatutDetaillé, queryJoursTrial],
  [PAYMENT_WORKFLOW_TYPE]: [queryJournalSaga],
};

/** Every query name any workflow type declares (the page's `query` parameter must be one). */
export const DECLARED_QUERY_NAMES = [...new Set(Object.values(DECLARED).flatMap((qs) => qs.map((q) => q.name)))] as [string, ...string[]];

export interface QueryView { name: string }

/** The queries a workflow type declares, for the panel. */
export function declaredQueries(workflowType: string): QueryView[] {
  return (DECLARED[workflowType] ?? []).map((q) => ({ name: q.name }));
}

export type QueryAnswer = { name: string; ok: true; answer: unknown } | { name: string; ok: false; reason: string };

/** Runs one declared query of this run; an undeclared name, a closed-and-unqueryable run or a silent worker is a reason, not a throw. */
export async function runDeclaredQuery(client: Client, d: WorkflowExecutionDescription, name: string, opts: { t: WorkflowsT; workerPolling: boolean; timeoutMs?: number }): Promise<QueryAnswer> {
  const { t } = opts;
  const declared = (DECLARED[d.type] ?? []).find((q) => q.name === name);
  if (!declared) return { name, ok: false, reason: t('live.noSuchQuery', { type: d.type, name }) };
  if (!opts.workerPolling) return { name, ok: false, reason: t('live.noWorker') };
  const timeoutMs = opts.timeoutMs ?? 5_000;
  try {
    const answer = await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(d.workflowId, d.runId).query(declared));
    return { name, ok: true, answer };
  } catch (error) {
    return { name, ok: false, reason: t('live.queryTimeout', { seconds: timeoutMs / 1000, error: (error as Error).message }) };
  }
}
