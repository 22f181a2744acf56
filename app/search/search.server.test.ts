// The top bar's search, through its route's loader against the real PostgreSQL and Temporal dev
// server: one hit (or one exact hit) redirects, several make a list; hits stay inside the tenants
// searched and the permissions of the role held there; bad input is a 400 that writes nothing.
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporalClient } from '../../temporal/config';
import { startOnboarding } from '../../temporal/starters';
import { makeOrder, makeStaff, makeTenant, sessionCookieFor, tenantContext, testDb, uid } from '../../test-support/factories';
import { loader as layoutLoader } from '../routes/t.$tenantId';
import { loader as searchLoader } from '../routes/t.$tenantId.search';
import type { Role } from '../server/permissions';
import { searchConsole, searchScope } from './search.server';

let client: Client;
const workflows: string[] = [];
const taskQueue = uid('search-nobody-polls');
let a: { id: string; name: string };
let b: { id: string; name: string };
let stranger: { id: string; name: string };

beforeAll(async () => {
  client = await createTemporalClient();
  [a, b, stranger] = await Promise.all([makeTenant('Alpha'), makeTenant('Beta'), makeTenant('Stranger')]);
});
afterAll(async () => {
  await Promise.all(workflows.map((id) => client.workflow.getHandle(id).terminate('search test cleanup').catch(() => undefined)));
  await client.connection.close();
});

/** A trial user row and its onboarding workflow (on a queue no worker polls: describe is all we need). */
async function trial(tenantId: string, email = `${uid('ann')}@example.test`, name = `Ann ${uid()}`) {
  const id = uid('u');
  await testDb().trialUser.create({ data: { id, tenantId, email, name } });
  const h = await startOnboarding(client, { tenantId, utilisateurId: id, email, prénom: 'Ann', planEssaiId: 'trial-14j' }, { taskQueue });
  workflows.push(h.workflowId);
  return { id, email, name, workflowId: h.workflowId };
}

function checkout(tenantId: string, sessionId = uid('cs')) {
  const now = new Date();
  return testDb().checkoutSession.create({
    data: {
      tenantId, sessionId, machineVersion: '1.0.0', state: 'traitementPaiement', stateValue: 'traitementPaiement', step: 'paiement',
      cartCents: 8990, itemCount: 1, paymentAttempts: 1, context: {}, stateSince: now, firstEventAt: now, lastEventAt: now, lastEventType: 'PAYER',
    },
  });
}

async function signedIn(memberships: Record<string, Role>) {
  const staff = await makeStaff(memberships);
  const first = Object.keys(memberships)[0]!;
  return { staff, cookie: (await sessionCookieFor(staff, first)).header };
}

const context = { clientAddress: '127.0.0.1', cspNonce: 'test' };
const args = (cookie: string, tenantId: string, query: string) => ({
  request: new Request(`http://localhost/t/${tenantId}/search${query}`, { headers: { Cookie: cookie } }),
  params: { tenantId },
  context,
});

type Answer =
  | { status: 302; location: string }
  | { status: 200; body: { hits: Array<{ kind: string; tenantId: string; tenantName: string; id: string; href: string }>; notes: string[] } }
  | { status: number; error: string };

/** The search loader's answer: a redirect, a result list, or a refusal. */
async function search(cookie: string, tenantId: string, q: string, all = false): Promise<Answer> {
  const query = `?${new URLSearchParams({ q, ...(all ? { all: '1' } : {}) })}`;
  return answer(searchLoader(args(cookie, tenantId, query)));
}
async function answer(p: Promise<Response>): Promise<Answer> {
  const res = await p.catch((e: unknown) => {
    if (e instanceof Response) return e;
    throw e;
  });
  if (res.status === 302) return { status: 302, location: res.headers.get('Location')! };
  if (res.status === 200) return { status: 200, body: await res.json() };
  return { status: res.status, error: ((await res.json()) as { error: string }).error };
}

describe('one match lands on its page, several make a list', () => {
  it('an email, a user id, a name, a workflow id and a checkout id each redirect to their page', async () => {
    const { cookie } = await signedIn({ [a.id]: 'oncall' });
    const t = await trial(a.id);
    const cs = await checkout(a.id);
    const trialPage = `/t/${a.id}/trials/${t.id}`;
    expect(await search(cookie, a.id, t.email.toUpperCase())).toEqual({ status: 302, location: trialPage });
    expect(await search(cookie, a.id, t.id)).toEqual({ status: 302, location: trialPage });
    expect(await search(cookie, a.id, t.name)).toEqual({ status: 302, location: trialPage });
    expect(await search(cookie, a.id, t.workflowId)).toEqual({ status: 302, location: `/t/${a.id}/workflows/${t.workflowId}` });
    expect(await search(cookie, a.id, cs.sessionId)).toEqual({ status: 302, location: `/t/${a.id}/checkouts/${cs.sessionId}` });
  });

  it('a prefix matching two trial users lists both; an exact email among prefix matches still lands', async () => {
    const { cookie } = await signedIn({ [a.id]: 'support' });
    const stem = uid('twin');
    const one = await trial(a.id, `${stem}@example.test`);
    const two = await trial(a.id, `${stem}@example.test.fr`);
    const listed = await search(cookie, a.id, stem);
    expect(listed.status).toBe(200);
    const hits = (listed as Extract<Answer, { status: 200 }>).body.hits;
    expect(hits.map((h) => h.id).sort()).toEqual([one.id, two.id].sort());
    expect(hits.every((h) => h.kind === 'trial' && h.tenantName === a.name)).toBe(true);
    // Exactly one hit is this email itself: it wins over the longer address it is a prefix of.
    expect(await search(cookie, a.id, one.email)).toEqual({ status: 302, location: `/t/${a.id}/trials/${one.id}` });
  });

  it('nothing found is an empty list, not an error', async () => {
    const { cookie } = await signedIn({ [a.id]: 'support' });
    expect(await search(cookie, a.id, uid('nobody'))).toEqual({ status: 200, body: expect.objectContaining({ hits: [], notes: [] }) });
  });
});

describe('roles', () => {
  it('finance lands on an order and on an incident; support finds neither, and finance finds no trial', async () => {
    const finance = await signedIn({ [a.id]: 'finance' });
    const support = await signedIn({ [a.id]: 'support' });
    const order = await makeOrder(a.id, { incident: { severity: 'high', failedStep: 'transfertVendeur', error: 'refused' }, status: 'compensation_incomplete' });
    const t = await trial(a.id);
    expect(await search(finance.cookie, a.id, order.orderId.toLowerCase())).toEqual({ status: 302, location: `/t/${a.id}/payments/${order.orderId}` });
    expect(await search(finance.cookie, a.id, order.incidentId!)).toEqual({ status: 302, location: `/t/${a.id}/incidents/${order.incidentId}` });
    expect(await search(finance.cookie, a.id, t.email)).toMatchObject({ status: 200, body: { hits: [] } });
    expect(await search(support.cookie, a.id, order.orderId)).toMatchObject({ status: 200, body: { hits: [] } });
    expect(await search(support.cookie, a.id, order.incidentId!)).toMatchObject({ status: 200, body: { hits: [] } });
    // LIKE's wildcards typed into the box match themselves, not every order.
    for (const wildcard of ['%', '_', `${order.orderId.slice(0, 3)}%`]) expect(await search(finance.cookie, a.id, wildcard)).toMatchObject({ status: 200, body: { hits: [] } });
  });

  it('permissions are those of the role in each hit’s tenant, not the current one', async () => {
    // Finance in Alpha, support in Beta: an order of Beta is not a hit, an order of Alpha is.
    const { cookie } = await signedIn({ [a.id]: 'finance', [b.id]: 'support' });
    const inAlpha = await makeOrder(a.id, { orderId: uid('CMX') });
    const inBeta = await makeOrder(b.id, { orderId: uid('CMX') });
    expect(await search(cookie, b.id, inAlpha.orderId, true)).toEqual({ status: 302, location: `/t/${a.id}/payments/${inAlpha.orderId}` });
    expect(await search(cookie, a.id, inBeta.orderId, true)).toMatchObject({ status: 200, body: { hits: [] } });
  });
});

describe('tenancy', () => {
  it('searches the current tenant unless asked for all; all names each hit’s tenant and never a non-member one', async () => {
    const { cookie } = await signedIn({ [a.id]: 'support', [b.id]: 'oncall' });
    const stem = uid('shared');
    const inA = await trial(a.id, `${stem}@a.example.test`);
    const inB = await trial(b.id, `${stem}@b.example.test`);
    const inStranger = await trial(stranger.id, `${stem}@c.example.test`);
    // Current tenant only: Alpha's one match lands.
    expect(await search(cookie, a.id, stem)).toEqual({ status: 302, location: `/t/${a.id}/trials/${inA.id}` });
    const all = await search(cookie, a.id, stem, true);
    expect(all.status).toBe(200);
    const hits = (all as Extract<Answer, { status: 200 }>).body.hits;
    expect(hits.map((h) => [h.id, h.tenantName]).sort()).toEqual([[inA.id, a.name], [inB.id, b.name]].sort());
    expect(JSON.stringify(all)).not.toContain(stranger.id);
    expect(JSON.stringify(all)).not.toContain(inStranger.id);
  });

  it('another tenant’s workflow id is no hit, even across all tenants; one of a member tenant is found from any of them', async () => {
    const { cookie } = await signedIn({ [a.id]: 'oncall', [b.id]: 'oncall' });
    const theirs = await trial(stranger.id);
    const ours = await trial(b.id);
    expect(await search(cookie, a.id, theirs.workflowId, true)).toMatchObject({ status: 200, body: { hits: [] } });
    expect(await search(cookie, a.id, ours.workflowId)).toMatchObject({ status: 200, body: { hits: [] } });
    expect(await search(cookie, a.id, ours.workflowId, true)).toEqual({ status: 302, location: `/t/${b.id}/workflows/${ours.workflowId}` });
  });

  it('a tenant in the URL the operator is not a member of is a 404', async () => {
    const { cookie } = await signedIn({ [a.id]: 'oncall' });
    expect(await search(cookie, stranger.id, 'ann')).toMatchObject({ status: 404 });
  });
});

describe('bad input', () => {
  it('is a 400 naming the parameter, and neither the search nor the layout writes anything', async () => {
    const { staff, cookie } = await signedIn({ [a.id]: 'oncall' });
    // The operator was on a page before: the layout recorded it.
    await layoutLoader({ request: new Request(`http://localhost/t/${a.id}/workflows`, { headers: { Cookie: cookie } }), params: { tenantId: a.id }, context });
    const before = await testDb().$queryRaw<Array<{ xmin: string; last_path: string }>>`SELECT xmin::text, last_path FROM staff_users WHERE id = ${staff.id}::uuid`;
    const auditBefore = await testDb().auditLog.count({ where: { tenantId: a.id } });
    expect(before[0]?.last_path).toBe(`/t/${a.id}/workflows`);
    // No query at all is the empty search page, not an error.
    expect(await answer(searchLoader(args(cookie, a.id, '')))).toMatchObject({ status: 200, body: { hits: [] } });
    const cases: Array<[string, RegExp]> = [
      ['?q=%20%20', /“q”: type an email, a name or an id/],
      [`?q=${'x'.repeat(256)}`, /“q”: use at most 255 characters/],
      ['?q=ann&all=yes', /“all”: is “1”/],
    ];
    for (const [query, message] of cases) {
      const req = () => args(cookie, a.id, query);
      const got = await answer(searchLoader(req()));
      expect(got).toMatchObject({ status: 400 });
      expect((got as { error: string }).error).toMatch(message);
      await layoutLoader(req());
    }
    const after = await testDb().$queryRaw<Array<{ xmin: string; last_path: string }>>`SELECT xmin::text, last_path FROM staff_users WHERE id = ${staff.id}::uuid`;
    expect(after).toEqual(before);
    expect(await testDb().auditLog.count({ where: { tenantId: a.id } })).toBe(auditBefore);
  });
});

describe('when Temporal does not answer', () => {
  it('the database kinds are still searched and the page says workflow ids were not', async () => {
    const t = await trial(a.id);
    const out = await searchConsole(searchScope(tenantContext('oncall', { tenant: a }), false), t.email, () => Promise.reject(new Error('connection refused')));
    expect(out.hits.map((h) => h.id)).toEqual([t.id]);
    expect(out.landOn).toBe(`/t/${a.id}/trials/${t.id}`);
    expect(out.notes).toEqual(['Workflow ids were not searched: Temporal did not answer (connection refused).']);
  });
});
