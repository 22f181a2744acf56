// Every page of the console, read from app/routes at run time (so a new page is walked, or fails
// the walk until it is given its parameters here), and a tenant with something on each: a trial,
// a failed payment saga with its failed refund and incident, a checkout session, an API key, an
// invitation, a second tenant in the switcher. Shared by the specs that walk all pages
// (responsive.spec.ts, time-and-hydration.spec.ts).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { makeInvitation, makeStaff, makeTenant, makeTrial, testDb } from '../../test-support/factories';
import { failedSagaWithFailedRefund } from './finance';
import { ingestCheckout, makeApiKey } from './ingest';

const ROUTES_DIR = path.join(process.cwd(), 'app/routes');

/** Route modules with a default export (a UI), leaving out layouts (a .tsx route nested under them). */
function pageRoutes(): string[] {
  const ids = readdirSync(ROUTES_DIR).filter((f) => f.endsWith('.tsx')).map((f) => f.replace(/\.tsx$/, ''));
  return ids
    .filter((id) => /export\s+default\s/.test(readFileSync(path.join(ROUTES_DIR, `${id}.tsx`), 'utf8')))
    .filter((id) => !ids.some((other) => other.startsWith(`${id}.`)))
    .sort();
}

/** The tenant pages (under t.$tenantId), e.g. t.$tenantId.admin.tsx is the admin layout and is left out. */
export const tenantPageRoutes = () => pageRoutes().filter((id) => id.startsWith('t.$tenantId.'));

/** The pages outside a tenant: sign-in, an invitation, the demo storefront and board. */
export const otherPageRoutes = () => pageRoutes().filter((id) => !id.startsWith('t.$tenantId.'));

/** A route id as a URL, its $parameters taken from `params`; undefined when one is missing. */
export function urlOf(id: string, params: Record<string, string>): string | undefined {
  const parts = id.split('.').filter((p) => p !== '_index').map((p) => (p.startsWith('$') ? params[p.slice(1)] : p));
  if (parts.some((p) => p === undefined)) return undefined;
  return `/${parts.map((p) => encodeURIComponent(p!)).join('/')}`;
}

export interface ConsolePage { route: string; url: string }

export interface ConsoleWithData {
  tenantId: string;
  /** An admin of the tenant (every page) and support in the second one. */
  admin: { id: string; email: string };
  params: Record<string, string>;
  /** Every tenant page, and the failed saga's workflow page besides the trial's. */
  pages: ConsolePage[];
  /** The pages outside a tenant, with a pending invitation's token. */
  otherPages: ConsolePage[];
}

export async function consoleWithData(baseURL: string, name = 'Pages'): Promise<ConsoleWithData> {
  const tenant = await makeTenant(name);
  const other = await makeTenant(`${name}, the other one with a rather long name`);
  const admin = await makeStaff({ [tenant.id]: 'admin', [other.id]: 'support' });
  await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id);
  const saga = await failedSagaWithFailedRefund(tenant.id);
  const incident = await testDb().financeIncident.findFirstOrThrow({ where: { tenantId: tenant.id, orderId: saga.commandeId } });
  const apiKey = await makeApiKey(tenant.id, `${name} walk`);
  const token = await makeInvitation(tenant.id, admin.id);
  const checkout = await ingestCheckout(baseURL, tenant.id, apiKey.raw);

  const params: Record<string, string> = {
    tenantId: tenant.id,
    userId: trial.id,
    workflowId: trial.workflowId,
    commandeId: saga.commandeId,
    incidentId: incident.id,
    sessionId: checkout.sessionId,
    token,
  };
  const routes = tenantPageRoutes();
  const unmapped = [...routes, ...otherPageRoutes()].filter((r) => urlOf(r, params) === undefined);
  expect(unmapped, 'pages whose parameters e2e/support/console-pages.ts does not know: add them to `params`').toEqual([]);
  const pages = routes.map((route) => ({ route, url: urlOf(route, params)! }));
  // The pages of the failed saga's workflow too (a workflow page with a failure, not only a trial's).
  pages.push({ route: 't.$tenantId.workflows.$workflowId (failed saga)', url: `/t/${tenant.id}/workflows/${encodeURIComponent(saga.workflowId)}` });
  const otherPages = otherPageRoutes().map((route) => ({ route, url: urlOf(route, params)! }));
  return { tenantId: tenant.id, admin, params, pages, otherPages };
}
