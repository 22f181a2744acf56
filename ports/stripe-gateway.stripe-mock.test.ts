// The Stripe gateway against stripe-mock, Stripe's own mock: every request of every gateway
// method is checked against Stripe's OpenAPI spec (an unknown or mistyped parameter is a 400),
// so a 2xx proves the shape of what we send. stripe-mock is stateless and answers with
// fixtures: ids of the right kind (new ones on create, the path's id on delete), amounts and
// currencies echoed on create, one fixture object per list with has_more false. The tests
// assert only that, and say where they lean on a fixture.
//
// A small recording proxy sits between the SDK and stripe-mock. It is how the tests see the
// Idempotency-Key header on the wire (the gateway returns ids only; stripe-mock echoes the key
// in its response, so the proxy also sees that it arrived), the parameters sent, and the raw
// objects a list came from. It rewrites one thing, for the charge only (see there).
//
// What stripe-mock cannot produce stays in provider-sdks.test.ts, on a hand-written stub: a
// succeeded PaymentIntent, card declines, account errors, 5xx and the SDK's retry, 404
// resource_missing, has_more and cursors across pages, metadata read back.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { freePort } from '../scripts/lib/stack';
import { startStripeMock, type StripeMockHandle } from '../scripts/lib/stripe-mock';
import { GatewayError } from './payment-gateway';
import { mapStripeError, StripeGateway } from './stripe-gateway';

interface Exchange {
  method: string;
  path: string;
  query: URLSearchParams;
  body: URLSearchParams;
  idempotencyKey: string | undefined;
  status: number;
  /** The Idempotency-Key stripe-mock sent back: it received the header. */
  echoedKey: string | undefined;
  response: Record<string, unknown>;
}
type Patch = (exchange: Exchange, body: Record<string, unknown>) => Record<string, unknown> | undefined;

let mock: StripeMockHandle;
let proxy: http.Server;
let proxyPort: number;
let seen: Exchange[] = [];
let patches: Patch[] = [];

beforeAll(async () => {
  mock = await startStripeMock();
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const upstream = http.request(
        { host: mock.host, port: mock.port, method: req.method, path: req.url, headers: { ...req.headers, host: `${mock.host}:${mock.port}` } },
        (up) => {
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            const url = new URL(req.url ?? '/', 'http://proxy');
            const exchange: Exchange = {
              method: req.method ?? '',
              path: url.pathname,
              query: url.searchParams,
              body: new URLSearchParams(raw.toString()),
              idempotencyKey: req.headers['idempotency-key'] as string | undefined,
              status: up.statusCode ?? 0,
              echoedKey: up.headers['idempotency-key'] as string | undefined,
              response: JSON.parse(Buffer.concat(out).toString()) as Record<string, unknown>,
            };
            seen.push(exchange);
            const body = patches.reduce((b, patch) => patch(exchange, b) ?? b, exchange.response);
            const headers = { ...up.headers };
            delete headers['content-length'];
            res.writeHead(exchange.status, headers);
            res.end(JSON.stringify(body));
          });
        },
      );
      upstream.on('error', (error) => { res.writeHead(502); res.end(String(error)); });
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
});
afterAll(async () => {
  if (proxy) await new Promise((resolve) => proxy.close(resolve));
  await mock?.stop();
});
beforeEach(() => {
  seen = [];
  patches = [];
});

/** As ports/from-env.ts builds it, with the SDK pointed at the proxy in front of stripe-mock. */
const gateway = (secretKey = 'sk_test_vigie', port = proxyPort) =>
  new StripeGateway({ secretKey, insuranceCustomerId: 'cus_insurer', host: '127.0.0.1', port, protocol: 'http' });

async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

const only = (method: string, path: string) => {
  const found = seen.filter((e) => e.method === method && e.path === path);
  expect(found, `${method} ${path}`).toHaveLength(1);
  return found[0]!;
};

const isoOf = (unixSeconds: unknown) => new Date((unixSeconds as number) * 1000).toISOString();
const dataOf = (e: Exchange) => e.response.data as Array<Record<string, unknown> & { metadata: Record<string, string> }>;

describe('StripeGateway against stripe-mock: requests Stripe accepts', () => {
  it('charge: the buyer, then an off-session PaymentIntent; stripe-mock\'s intent is not succeeded, so a decline carrying its status', async () => {
    // stripe-mock's customer has no default payment method: state it cannot hold (a card saved
    // at signup). The proxy adds one, or the gateway would stop before the PaymentIntent.
    patches.push((e, body) => (e.method === 'GET' && e.path === '/v1/customers/cus_buyer'
      ? { ...body, invoice_settings: { ...(body.invoice_settings as object), default_payment_method: 'pm_card_visa' } }
      : undefined));
    const declined = await gatewayError(gateway().charge({ idempotencyKey: 'charge-c1', commandeId: 'c1', acheteurId: 'cus_buyer', amountCents: 18_000, description: 'Commande #c1' }));

    const intent = only('POST', '/v1/payment_intents');
    expect(intent.status).toBe(200);
    expect(Object.fromEntries(intent.body)).toMatchObject({
      amount: '18000', currency: 'eur', customer: 'cus_buyer', payment_method: 'pm_card_visa', confirm: 'true', off_session: 'true',
      transfer_group: 'c1', 'metadata[idempotencyKey]': 'charge-c1', 'metadata[commandeId]': 'c1',
    });
    // The fixture intent is `requires_payment_method` with no charge, whatever was sent: the
    // contract's charge id needs a succeeded intent, which the stub test provides.
    expect(intent.response).toMatchObject({ object: 'payment_intent', status: 'requires_payment_method', latest_charge: null });
    expect(declined).toMatchObject({ kind: 'card_declined', code: 'requires_payment_method' });
    expect(declined.retryable).toBe(false);
  });

  it('charge: stripe-mock\'s own customer has no default payment method, a decline before any PaymentIntent', async () => {
    const declined = await gatewayError(gateway().charge({ idempotencyKey: 'charge-c2', commandeId: 'c2', acheteurId: 'cus_buyer', amountCents: 100, description: 'x' }));
    expect(declined).toMatchObject({ kind: 'card_declined', code: 'payment_method_missing' });
    expect(seen.map((e) => [e.method, e.path, e.status])).toEqual([['GET', '/v1/customers/cus_buyer', 200]]);
  });

  it('transfer, reversal, refund, insurance fee and its cancellation, trial: accepted, with ids of the right kind', async () => {
    const g = gateway();
    const transfer = await g.transfer({ idempotencyKey: 'transfert-c1', commandeId: 'c1', vendeurId: 'acct_seller', amountCents: 15_840, sourceChargeId: 'ch_buyer' });
    const reversal = await g.reverseTransfer({ idempotencyKey: 'inversion-transfert-c1', commandeId: 'c1', transferId: transfer.id, amountCents: 15_840, reason: 'litige' });
    const refund = await g.refund({ idempotencyKey: 'remboursement-c1', commandeId: 'c1', chargeId: 'ch_buyer', amountCents: 18_000, reason: 'litige' });
    const fee = await g.billInsurance({ idempotencyKey: 'assurance-c1', commandeId: 'c1', amountCents: 90 });
    const cancelled = await g.cancelInsurance({ idempotencyKey: 'annulation-assurance-c1', commandeId: 'c1', insuranceId: fee.id, reason: 'annulée' });
    const trial = await g.startTrial({ idempotencyKey: 'trial-u1', utilisateurId: 'u1', email: 'camille@example.test', planId: 'price_pro', trialDays: 14 });

    expect(seen.map((e) => [e.method, e.status])).toEqual([
      ['POST', 200], ['POST', 200], ['POST', 200], ['POST', 200], ['DELETE', 200], ['POST', 200], ['POST', 200],
    ]);
    // New ids on create (random, of the right kind); a delete answers with the path's id.
    expect(transfer.id).toMatch(/^tr_/);
    expect(reversal.id).toMatch(/^trr_/);
    expect(refund.id).toMatch(/^re_/);
    expect(fee.id).toMatch(/^ii_/);
    expect(cancelled).toEqual({ id: fee.id });
    expect(only('DELETE', `/v1/invoiceitems/${fee.id}`).response).toMatchObject({ id: fee.id, deleted: true });
    expect(trial.id).toMatch(/^sub_/);

    // What we send, as the gateway's header comment documents it; stripe-mock echoes amount and
    // currency on create, which shows they were read as such.
    expect(Object.fromEntries(only('POST', '/v1/transfers').body)).toMatchObject({
      amount: '15840', currency: 'eur', destination: 'acct_seller', source_transaction: 'ch_buyer', transfer_group: 'c1',
    });
    expect(only('POST', '/v1/transfers').response).toMatchObject({ amount: 15_840, currency: 'eur', destination: 'acct_seller' });
    expect(only('POST', `/v1/transfers/${transfer.id}/reversals`).body.get('amount')).toBe('15840');
    expect(Object.fromEntries(only('POST', '/v1/refunds').body)).toMatchObject({ charge: 'ch_buyer', amount: '18000', reason: 'requested_by_customer' });
    expect(only('POST', '/v1/refunds').response).toMatchObject({ amount: 18_000 });
    expect(Object.fromEntries(only('POST', '/v1/invoiceitems').body)).toMatchObject({ customer: 'cus_insurer', amount: '90', currency: 'eur' });
    expect(only('POST', '/v1/invoiceitems').response).toMatchObject({ amount: 90, currency: 'eur' });
    // The trial's subscription is for the customer just created (a new cus_ id from stripe-mock).
    const customer = only('POST', '/v1/customers');
    expect(customer.response.id).toMatch(/^cus_/);
    expect(Object.fromEntries(only('POST', '/v1/subscriptions').body)).toMatchObject({
      customer: customer.response.id, 'items[0][price]': 'price_pro', trial_period_days: '14',
      'trial_settings[end_behavior][missing_payment_method]': 'cancel',
    });
  });

  it('sends our idempotency key on every POST, which stripe-mock receives; a key that is not header-safe goes encoded', async () => {
    const g = gateway();
    await g.transfer({ idempotencyKey: 'transfert-c3', commandeId: 'c3', vendeurId: 'acct_seller', amountCents: 100, sourceChargeId: 'ch_buyer' });
    await g.reverseTransfer({ idempotencyKey: 'inversion-transfert-c3', commandeId: 'c3', transferId: 'tr_c3', amountCents: 100, reason: 'r' });
    await g.refund({ idempotencyKey: 'remboursement-c3', commandeId: 'c3', chargeId: 'ch_buyer', amountCents: 100, reason: 'r' });
    await g.billInsurance({ idempotencyKey: 'assurance-commande-é', commandeId: 'commande-é', amountCents: 5 });
    await g.cancelInsurance({ idempotencyKey: 'annulation-assurance-c3', commandeId: 'c3', insuranceId: 'ii_c3', reason: 'r' });
    await g.startTrial({ idempotencyKey: 'trial-u3', utilisateurId: 'u3', email: 'u3@example.test', planId: 'price_pro', trialDays: 14 });
    patches.push((e, body) => (e.path === '/v1/customers/cus_buyer' ? { ...body, invoice_settings: { default_payment_method: 'pm_card_visa' } } : undefined));
    await g.charge({ idempotencyKey: 'charge-c3', commandeId: 'c3', acheteurId: 'cus_buyer', amountCents: 100, description: 'x' }).catch(() => undefined);

    const posts = seen.filter((e) => e.method === 'POST');
    expect(posts.map((e) => [e.path, e.idempotencyKey])).toEqual([
      ['/v1/transfers', 'transfert-c3'],
      ['/v1/transfers/tr_c3/reversals', 'inversion-transfert-c3'],
      ['/v1/refunds', 'remboursement-c3'],
      ['/v1/invoiceitems', 'assurance-commande-%C3%A9'],
      ['/v1/customers', 'trial-u3:customer'],
      ['/v1/subscriptions', 'trial-u3'],
      ['/v1/payment_intents', 'charge-c3'],
    ]);
    for (const post of posts) {
      expect(post.status, post.path).toBe(200);
      expect(post.echoedKey, post.path).toBe(post.idempotencyKey);
    }
    // Each object keeps the key itself, accents and all, for reconciliation.
    expect(posts.map((e) => e.body.get('metadata[idempotencyKey]'))).toEqual([
      'transfert-c3', 'inversion-transfert-c3', 'remboursement-c3', 'assurance-commande-é', 'trial-u3:customer', 'trial-u3', 'charge-c3',
    ]);
    // Stripe ignores keys on DELETE (idempotent by definition): the gateway sends none.
    expect(only('DELETE', '/v1/invoiceitems/ii_c3').idempotencyKey).toBeUndefined();
  });
});

describe('StripeGateway against stripe-mock: lists read into GatewayRecords', () => {
  // stripe-mock answers every list with one fixture object (created 2009, currency usd, no
  // metadata) and has_more false, whatever the filters: the records must be those objects read
  // the way the contract says. Paging across has_more and metadata read back: the stub test.
  const from = new Date('2026-11-01T00:00:00Z');
  const to = new Date('2026-12-01T00:00:00Z');

  it('charges, with the period, the page size and a cursor as Stripe takes them', async () => {
    const page = await gateway().listCharges({ from, to, limit: 2, cursor: 'ch_previous' });
    const list = only('GET', '/v1/charges');
    expect(list.status).toBe(200);
    expect(Object.fromEntries(list.query)).toEqual({
      'created[gte]': String(from.getTime() / 1000), 'created[lt]': String(to.getTime() / 1000), limit: '2', starting_after: 'ch_previous',
    });
    const [charge] = dataOf(list);
    expect(dataOf(list)).toHaveLength(1);
    expect(charge!.status).toBe('succeeded');
    expect(page).toEqual({
      nextCursor: null,
      items: [{
        id: charge!.id, kind: 'charge', status: 'succeeded', amountCents: charge!.amount, currency: charge!.currency, createdAt: isoOf(charge!.created),
        idempotencyKey: null, commandeId: null, sourceId: null, tenantId: null,
      }],
    });
  });

  it('refunds, each with the charge it draws on', async () => {
    const page = await gateway().listRefunds({ from, to });
    const list = only('GET', '/v1/refunds');
    expect(list.query.get('limit')).toBe('100');
    const [refund] = dataOf(list);
    expect(refund).toMatchObject({ status: 'succeeded', charge: expect.stringMatching(/^ch_/) });
    expect(page.items).toEqual([{
      id: refund!.id, kind: 'refund', status: 'succeeded', amountCents: refund!.amount, currency: refund!.currency, createdAt: isoOf(refund!.created),
      idempotencyKey: null, commandeId: null, sourceId: refund!.charge, tenantId: null,
    }]);
  });

  it('transfers, each followed by the reversals Stripe nests in it', async () => {
    const page = await gateway().listTransfers({ from, to });
    const [transfer] = dataOf(only('GET', '/v1/transfers'));
    const reversals = (transfer!.reversals as { data: Array<Record<string, unknown>> }).data;
    expect(reversals.length).toBeGreaterThan(0);
    expect(page.items).toEqual([
      { id: transfer!.id, kind: 'transfer', status: 'succeeded', amountCents: transfer!.amount, currency: transfer!.currency, createdAt: isoOf(transfer!.created), idempotencyKey: null, commandeId: null, sourceId: transfer!.source_transaction, tenantId: null },
      ...reversals.map((r) => ({ id: r.id, kind: 'transfer_reversal', status: 'succeeded', amountCents: r.amount, currency: r.currency, createdAt: isoOf(r.created), idempotencyKey: null, commandeId: null, sourceId: transfer!.id, tenantId: null })),
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("the insurer's invoice items; one not yet on an invoice is pending", async () => {
    const page = await gateway().listInsurance({ from, to });
    const list = only('GET', '/v1/invoiceitems');
    expect(list.query.get('customer')).toBe('cus_insurer');
    const [item] = dataOf(list);
    expect(item!.invoice).toBeNull();
    expect(page.items).toEqual([{
      id: item!.id, kind: 'insurance', status: 'pending', amountCents: item!.amount, currency: item!.currency, createdAt: isoOf(item!.date),
      idempotencyKey: null, commandeId: null, sourceId: null, tenantId: null,
    }]);
  });
});

describe('StripeGateway against stripe-mock: events for the provider mirror\'s catch-up', () => {
  it('lists events since the cursor, with the page size and starting_after as Stripe takes them, as they are', async () => {
    const since = new Date('2026-11-01T00:00:00Z');
    const page = await gateway().listEvents({ since, limit: 3, cursor: 'evt_previous' });
    const list = only('GET', '/v1/events');
    expect(list.status).toBe(200);
    expect(Object.fromEntries(list.query)).toEqual({ 'created[gte]': String(since.getTime() / 1000), limit: '3', starting_after: 'evt_previous' });
    // stripe-mock's one fixture event, handed on untouched: the mirror reads Stripe's shape itself.
    const [event] = dataOf(list);
    expect(page).toEqual({ items: [event], nextCursor: null });
    expect(page.items[0]).toMatchObject({ id: expect.stringMatching(/^evt_/), object: 'event', type: expect.any(String), created: expect.any(Number), data: { object: expect.any(Object) } });
  });
});

describe('StripeGateway against stripe-mock: the errors it really returns', () => {
  // stripe-mock's errors are all `invalid_request_error` with no `code`: 400 for a parameter the
  // spec refuses, 401 without a test key, 404 for a URL that is no route. An unknown id is not
  // one of them (any id answers 200), hence no resource_missing here.
  it('a parameter the spec refuses (a fractional amount) is a 400: rejected, not retried', async () => {
    const error = await gatewayError(gateway().refund({ idempotencyKey: 'remboursement-c4', commandeId: 'c4', chargeId: 'ch_buyer', amountCents: 12.5, reason: 'r' }));
    expect(error).toMatchObject({ kind: 'rejected', message: expect.stringContaining("'amount'") });
    expect(error.retryable).toBe(false);
    expect(seen.map((e) => [e.path, e.status])).toEqual([['/v1/refunds', 400]]);
    expect(seen[0]!.response).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('a key that is not a test key is a 401: rejected', async () => {
    const error = await gatewayError(gateway('sk_live_vigie').transfer({ idempotencyKey: 'transfert-c4', commandeId: 'c4', vendeurId: 'acct_seller', amountCents: 100, sourceChargeId: 'ch_buyer' }));
    expect(error.kind).toBe('rejected');
    expect(seen.map((e) => e.status)).toEqual([401]);
  });

  it('a 404 without resource_missing is no "already deleted": the cancellation is rejected', async () => {
    // An empty id makes a URL with no route (DELETE /v1/invoiceitems/).
    const error = await gatewayError(gateway().cancelInsurance({ idempotencyKey: 'annulation-assurance-c4', commandeId: 'c4', insuranceId: '', reason: 'r' }));
    expect(error).toMatchObject({ kind: 'rejected', code: undefined });
    expect(seen.map((e) => e.status)).toEqual([404]);
  });

  it('the same 400 read by mapStripeError directly, as the SDK raised it', async () => {
    const sdk = new Stripe('sk_test_vigie', { host: '127.0.0.1', port: mock.port, protocol: 'http', maxNetworkRetries: 0 });
    const raised = await sdk.refunds.create({ charge: 'ch_buyer', amount: 1, bogus: 'x' } as Stripe.RefundCreateParams).then(() => undefined, (e: unknown) => e);
    expect(raised).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((raised as Stripe.errors.StripeError).statusCode).toBe(400);
    expect(mapStripeError(raised, 'refund').kind).toBe('rejected');
  });

  it('no answer at all (nothing listening) is transient, to retry with the same key', async () => {
    const error = await gatewayError(gateway('sk_test_vigie', await freePort()).refund({ idempotencyKey: 'remboursement-c5', commandeId: 'c5', chargeId: 'ch_buyer', amountCents: 100, reason: 'r' }));
    expect(error.kind).toBe('transient');
    expect(error.retryable).toBe(true);
  });
});
