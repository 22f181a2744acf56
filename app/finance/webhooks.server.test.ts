// The provider's webhook endpoint: signed with the Stripe SDK's own test header helper, checked
// with constructEvent; refused deliveries store nothing; an event is kept once; it answers before
// applying; a refund made at the provider (the "Stripe dashboard") reaches reconciliation through
// the stand-in's own webhook delivery within seconds; a bad event waits for retry, never lost.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainEvents } from '../../finance/mirror/inbox';
import { reconcile } from '../../finance/reconcile';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import { forwardLocalEvents, type Deliver } from '../../ports/local-webhook-forwarder';
import type { ProviderEvent } from '../../ports/payment-gateway';
import { signStripePayload } from '../../ports/stripe-webhooks';
import { makeOrder, uid } from '../../test-support/factories';
import { db } from '../server/db.server';

const SECRET = `whsec_${randomBytes(24).toString('hex')}`;
process.env.STRIPE_WEBHOOK_SECRET = SECRET;
const { handleStripeWebhook } = await import('./webhooks.server');

const post = (payload: string, headers: Record<string, string> = {}) =>
  handleStripeWebhook(new Request('http://console.test/api/v1/stripe-webhooks', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload }));
const signed = (payload: string, secret = SECRET) => post(payload, { 'stripe-signature': signStripePayload(payload, secret) });
/** The stand-in's forwarder, posting to the endpoint's handler in this process. */
const toEndpoint: Deliver = async (payload, signature) => (await post(payload, { 'stripe-signature': signature })).status;

const tenantId = uid('t-hook');
const otherTenant = uid('t-hook-other');
const gateway = new LocalPaymentGateway(db());

function chargeEvent(over: { id?: string; amount?: number; chargeId?: string } = {}): ProviderEvent {
  const created = Math.floor(Date.now() / 1000);
  return {
    id: over.id ?? `evt_${uid('t').replace(/\W/g, '')}`, object: 'event', type: 'charge.succeeded', created, livemode: false,
    data: { object: { id: over.chargeId ?? `ch_${uid('x').replace(/\W/g, '')}`, object: 'charge', amount: over.amount ?? 4_200, currency: 'eur', status: 'succeeded', created, metadata: { tenantId: otherTenant } } },
  };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, limitMs = 15_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stored = (id: string) => db().mirrorEvent.count({ where: { id } });
let poison: string | null = null;

beforeAll(async () => {
  // The stand-in's backlog from other files is theirs: deliver it now so this file's counts are its own.
  await forwardLocalEvents(db(), toEndpoint, SECRET);
});
afterAll(async () => {
  // The bad event of the retry test would be retried by every later pass in this database.
  if (poison) await db().mirrorEvent.delete({ where: { id: poison } });
});

describe('POST /api/v1/stripe-webhooks', () => {
  it('refuses a delivery without a signature, with another secret’s, or with a body it was not made for, and stores nothing', async () => {
    const event = chargeEvent();
    const payload = JSON.stringify(event);
    const missing = await post(payload);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'missing Stripe-Signature header' });
    const otherSecret = await signed(payload, `whsec_${randomBytes(24).toString('hex')}`);
    expect(otherSecret.status).toBe(400);
    expect((await otherSecret.json()).error).toMatch(/^invalid Stripe-Signature: No signatures found matching the expected signature/);
    const tampered = await post(JSON.stringify({ ...event, data: { object: { ...event.data.object, amount: 1 } } }), { 'stripe-signature': signStripePayload(payload, SECRET) });
    expect(tampered.status).toBe(400);
    const stale = await post(payload, { 'stripe-signature': signStripePayload(payload, SECRET, Math.floor(Date.now() / 1000) - 3_600) });
    expect(stale.status).toBe(400);
    expect((await stale.json()).error).toMatch(/Timestamp outside the tolerance zone/);
    const notEvent = await signed(JSON.stringify({ hello: 'world' }));
    expect(notEvent.status).toBe(400);
    expect(await notEvent.json()).toEqual({ error: 'the event has no id of the form evt_…' });
    expect(await stored(event.id)).toBe(0);
    expect(await db().mirrorObject.count({ where: { id: String(event.data.object.id) } })).toBe(0);
  });

  it('keeps an event once: a replay answers 200 and changes nothing', async () => {
    const event = chargeEvent();
    const payload = JSON.stringify(event);
    const first = await signed(payload);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, id: event.id, duplicate: false });
    const row = await until('the charge in the mirror', () => db().mirrorObject.findUnique({ where: { id: String(event.data.object.id) } }));
    expect(row).toMatchObject({ kind: 'charge', status: 'succeeded', amountCents: 4_200, tenantId: otherTenant });
    const inbox = await db().mirrorEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(inbox).toMatchObject({ via: 'webhook', type: 'charge.succeeded', attempts: 1, lastError: null });

    const replay = await signed(payload);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, id: event.id, duplicate: true });
    await drainEvents(db());
    expect(await stored(event.id)).toBe(1);
    expect(await db().mirrorEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(inbox);
    expect(await db().mirrorObject.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
  });

  it('shows a refund made at the provider, outside Vigie, in reconciliation within seconds of its webhook', async () => {
    const order = await makeOrder(tenantId, { at: new Date(Date.now() - 60_000) });
    const from = new Date(Date.now() - 3_600_000);
    const to = new Date(Date.now() + 3_600_000);
    const before = await reconcile(db(), gateway, { tenantId, from, to });
    expect(before.mismatches.filter((m) => m.orderId === order.orderId)).toEqual([]);

    // The "Stripe dashboard": a refund straight at the stand-in, with no metadata of ours.
    const madeAt = Date.now();
    const refund = await gateway.refund({ idempotencyKey: `dashboard-${uid('r')}`, commandeId: '', chargeId: order.ids.charge!, amountCents: 1_999, reason: 'dashboard' });
    const sent = await forwardLocalEvents(db(), toEndpoint, SECRET);
    expect(sent.delivered).toBeGreaterThanOrEqual(1);
    expect(await db().mirrorEvent.findUniqueOrThrow({ where: { id: `evt_${refund.id}` } })).toMatchObject({ type: 'refund.created', via: 'webhook' });
    const found = await until('the refund in reconciliation', async () => {
      const r = await reconcile(db(), gateway, { tenantId, from, to });
      return r.mismatches.find((m) => m.subject === refund.id);
    });
    const seconds = (Date.now() - madeAt) / 1000;
    expect(found).toMatchObject({ kind: 'unknown_to_ledger', orderId: order.orderId, providerCents: 1_999, objectKind: 'refund' });
    expect(seconds).toBeLessThan(15);
    // It is the tenant's through the charge it refunds; another tenant never sees it.
    expect(await db().mirrorObject.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({ tenantId, orderId: null, sourceId: order.ids.charge });
    const other = await reconcile(db(), gateway, { tenantId: otherTenant, from, to });
    expect(other.mismatches.some((m) => m.subject === refund.id)).toBe(false);
  });

  it('answers 200 for an event it cannot apply, keeps it with its error, applies the rest, and retries it at every pass', async () => {
    const bad = chargeEvent({ amount: 3_000_000_000 });
    const good = chargeEvent();
    poison = bad.id;
    expect((await signed(JSON.stringify(bad))).status).toBe(200);
    expect((await signed(JSON.stringify(good))).status).toBe(200);
    await until('the good event applied', () => db().mirrorObject.findUnique({ where: { id: String(good.data.object.id) } }));
    const failed = await until('the bad event marked failed', async () => {
      await drainEvents(db());
      const e = await db().mirrorEvent.findUniqueOrThrow({ where: { id: bad.id } });
      return e.lastError ? e : null;
    });
    expect(failed).toMatchObject({ processedAt: null, lastError: expect.stringMatching(/out of range/) });
    expect(await db().mirrorObject.count({ where: { id: String(bad.data.object.id) } })).toBe(0);
    await drainEvents(db());
    const again = await db().mirrorEvent.findUniqueOrThrow({ where: { id: bad.id } });
    // At least this pass's attempt (another file's pass may have tried it too meanwhile).
    expect(again.attempts).toBeGreaterThan(failed.attempts);
    expect(again.processedAt).toBeNull();
  });
});
