// POST /api/v1/kanban-errors: failed and timed-out saves from the kanban board's reporter.
import type { ActionFunctionArgs } from '@remix-run/node';
import { parseKanbanBatch } from '~/ingest/schema.server';
import { handleIngest } from '~/ingest/http.server';
import { storeKanbanErrors } from '~/ingest/store.server';

const spec = { parse: parseKanbanBatch, store: storeKanbanErrors };

export const action = ({ request }: ActionFunctionArgs) => handleIngest(request, spec);
export const loader = ({ request }: ActionFunctionArgs) => handleIngest(request, spec);
