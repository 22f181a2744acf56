// The trial page's live status (statutDetaillé, joursTrial) through the page's own loader against
// a real Temporal: asked beside describe when the trial user is known in the tenant, after it
// otherwise; never shown for a workflow of another tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnboarding } from '../../temporal/starters';
import { DURÉES_PRODUCTION } from '../../temporal/workflows/onboarding.contract';
import { makeStaff, makeTenant, sessionCookieFor, uid } from '../../test-support/factories';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';
import { loader } from '../routes/t.$tenantId.trials.$userId';

let s: TestStack;
let tenant: { id: string };
let other: { id: string };
let cookie: string;
const stop: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  s = await startTestStack('trialpage');
  tenant = await makeTenant();
  other = await makeTenant();
  cookie = (await sessionCookieFor(await makeStaff({ [tenant.id]: 'support' }), tenant.id)).header;
});
afterAll(async () => {
  await Promise.all(stop.map((f) => f().catch(() => undefined)));
  await s?.close();
});

const context = { clientAddress: '127.0.0.1', cspNonce: 'test' };
const load = (userId: string) =>
  loader({ request: new Request(`http://localhost/t/${tenant.id}/trials/${encodeURIComponent(userId)}`, { headers: { Cookie: cookie } }), params: { tenantId: tenant.id, userId }, context });
const statusOf = (p: Promise<unknown>) => p.then((r) => (r instanceof Response ? r.status : 200), (e: unknown) => (e instanceof Response ? e.status : e));

/** An onboarding workflow of `tenantId` for user `id`, with or without its trial_users row; once its J+0 step ran. */
async function trial(tenantId: string, opts: { row: boolean }) {
  const id = uid('u');
  if (opts.row) await s.db.trialUser.create({ data: { id, tenantId, email: `${id}@example.test`, name: `Trial ${id}` } });
  const h = await startOnboarding(s.client, { tenantId, utilisateurId: id, email: `${id}@example.test`, prénom: 'Test', planEssaiId: 'trial-14j', durées: DURÉES_PRODUCTION }, { taskQueue: s.taskQueue });
  stop.push(() => h.terminate('test done'));
  await waitFor('the welcome email sent', () => s.db.emailDelivery.findFirst({ where: { workflowId: h.workflowId, status: 'sent' } }).then((r) => r ?? undefined));
  return { id, workflowId: h.workflowId };
}

describe('the trial page’s live status', () => {
  it('is the workflow’s own answer for a trial user of the tenant', async () => {
    const t = await trial(tenant.id, { row: true });
    const d = await (await load(t.id)).json();
    expect(d.error).toBeNull();
    expect(d.statut).toMatchObject({ phase: 'inscription', emailsEnvoyés: ['bienvenue-trial'] });
    expect(d.joursTrial).toBe(0);
    expect(d.user).toEqual({ name: `Trial ${t.id}`, email: `${t.id}@example.test` });
  });

  it('is read after describe for a workflow of the tenant that has no trial user row (started outside Vigie)', async () => {
    const t = await trial(tenant.id, { row: false });
    const d = await (await load(t.id)).json();
    expect(d.user).toBeNull();
    expect(d.error).toBeNull();
    expect(d.statut).toMatchObject({ phase: 'inscription' });
  });

  it('is a 404 for another tenant’s workflow, with or without a trial user of that id in this tenant', async () => {
    const theirs = await trial(other.id, { row: true });
    expect(await statusOf(load(theirs.id))).toBe(404);
    // The row says this tenant, the workflow says the other one: describe decides.
    const mismatched = uid('u');
    await s.db.trialUser.create({ data: { id: mismatched, tenantId: tenant.id, email: `${mismatched}@example.test`, name: 'Mismatched' } });
    const h = await startOnboarding(s.client, { tenantId: other.id, utilisateurId: mismatched, email: `${mismatched}@example.test`, prénom: 'Test', planEssaiId: 'trial-14j', durées: DURÉES_PRODUCTION }, { taskQueue: s.taskQueue });
    stop.push(() => h.terminate('test done'));
    expect(await statusOf(load(mismatched))).toBe(404);
  });
});
