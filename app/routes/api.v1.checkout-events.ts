// POST /api/v1/checkout-events: checkout transitions and snapshots from the storefront's reporter.
import type { ActionFunctionArgs } from '@remix-run/node';
import { parseCheckoutBatch } from '~/ingest/schema.server';
import { handleIngest } from '~/ingest/http.server';
import { storeCheckoutEvents } from '~/ingest/store.server';

const spec = { parse: parseCheckoutBatch, store: storeCheckoutEvents };

export const action = ({ request }: ActionFunctionArgs) => handleIngest(request, spec);
export const loader = ({ request }: ActionFunctionArgs) => handleIngest(request, spec);
