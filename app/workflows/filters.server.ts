// The on-call workflow filters: parsed with zod from the URL (or a batch form) and turned
// into a visibility clause here, on the server. Browser input never reaches the query as text.
import { z } from 'zod';
import { visibilityLiteral } from '../../temporal/search-attributes';
import { PHASES, STATUSES, WORKFLOW_TYPES } from './labels';

const isoDate = z.string().trim().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date and time').transform((s) => new Date(s).toISOString());

export const workflowFilterSchema = z.object({
  status: z.enum(STATUSES).optional(),
  type: z.enum(WORKFLOW_TYPES).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  phase: z.enum(PHASES).optional(),
  sagaStatus: z.string().regex(/^[\p{L}_]{1,40}$/u, 'is not a saga status').optional(),
  orderId: z.string().regex(/^[\w.:-]{1,100}$/, 'is not an order id').optional(),
  workflowId: z.string().regex(/^[\w.@:-]{1,255}$/, 'is not a workflow id').optional(),
});
export type WorkflowFilter = z.infer<typeof workflowFilterSchema>;

/** The workflow list's query string: the filters, the view and the page's cursor. */
export const workflowListQuery = workflowFilterSchema.extend({
  view: z.string().optional().transform((v) => (v === 'stuck' ? 'stuck' : 'all')),
  cursor: z.string().max(2000).optional(),
});

export function parseWorkflowFilter(entries: Iterable<[string, string]>) {
  const keys = Object.keys(workflowFilterSchema.shape);
  const raw = Object.fromEntries([...entries].filter(([k, v]) => keys.includes(k) && v !== ''));
  return workflowFilterSchema.safeParse(raw);
}

export function workflowFilterClause(f: WorkflowFilter): string | undefined {
  const parts: string[] = [];
  if (f.status) parts.push(`ExecutionStatus = '${f.status}'`);
  if (f.type) parts.push(`WorkflowType = '${f.type}'`);
  if (f.from) parts.push(`StartTime >= '${f.from}'`);
  if (f.to) parts.push(`StartTime <= '${f.to}'`);
  if (f.phase) parts.push(`OnboardingPhase = ${visibilityLiteral(f.phase)}`);
  if (f.sagaStatus) parts.push(`SagaStatus = ${visibilityLiteral(f.sagaStatus)}`);
  if (f.orderId) parts.push(`OrderId = ${visibilityLiteral(f.orderId)}`);
  if (f.workflowId) parts.push(`WorkflowId = ${visibilityLiteral(f.workflowId)}`);
  return parts.length ? parts.join(' AND ') : undefined;
}

export function idsClause(ids: string[]): string {
  return `WorkflowId IN (${ids.map(visibilityLiteral).join(', ')})`;
}
