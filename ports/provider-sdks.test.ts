// The Stripe gateway and the Resend mailer speak to their real SDKs, pointed at a local HTTP
// stub that records each request: every mutation carries our idempotency key, the
// parameters are the ones documented, and the providers' errors map to the right kinds. The
// Resend mailer also reads a sent message back for the console (docs/decisions/080).
//
// For Stripe, stripe-gateway.stripe-mock.test.ts runs every gateway method against Stripe's
// own mock, which checks each request against Stripe's spec, and covers there the idempotency
// keys and parameters of every mutation. This stub keeps what stripe-mock cannot answer: a
// succeeded PaymentIntent (the charge id), card declines, account errors, a 5xx and the SDK's
// retry with the same key, a 404 resource_missing, has_more and cursors across pages,
// metadata read back.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { MailerError } from './mailer';
import { GatewayError } from './payment-gateway';
import { ResendMailer } from './resend-mailer';
import { mapStripeError, StripeGateway } from './stripe-gateway';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: URLSearchParams;
  json: unknown;
  idempotencyKey: string | undefined;
}
type Reply = { status: number; body: unknown };

let server: http.Server;
let port: number;
let seen: Seen[] = [];
let replies: Array<(req: Seen) => Reply | undefined> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const isJson = (req.headers['content-type'] ?? '').includes('json');
      const entry: Seen = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        body: new URLSearchParams(isJson ? '' : raw),
        json: isJson && raw ? JSON.parse(raw) : null,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      };
      seen.push(entry);
      const reply = replies.map((r) => r(entry)).find(Boolean) ?? { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'no stub' } } };
      res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': 'req_stub' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  replies = [];
});

const on = (method: string, path: string | RegExp, reply: Reply) =>
  replies.push((r) => (r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)) ? reply : undefined));

const gateway = () => new StripeGateway({ secretKey: 'sk_test_stub', insuranceCustomerId: 'cus_insurer', host: '127.0.0.1', port, protocol: 'http' });

async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('StripeGateway', () => {
  it('charges off-session with the default payment method, and keeps the charge id', async () => {
    on('GET', '/v1/customers/cus_buyer', { status: 200, body: { id: 'cus_buyer', object: 'customer', invoice_settings: { default_payment_method: 'pm_card' } } });
    on('POST', '/v1/payment_intents', { status: 200, body: { id: 'pi_1', object: 'payment_intent', status: 'succeeded', latest_charge: 'ch_1' } });
    const result = await gateway().charge({ idempotencyKey: 'charge-c1', commandeId: 'c1', acheteurId: 'cus_buyer', amountCents: 18_000, description: 'Commande #c1' });
    expect(result).toEqual({ id: 'ch_1' });
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.idempotencyKey).toBe('charge-c1');
    expect(Object.fromEntries(post.body)).toMatchObject({
      amount: '18000',
      currency: 'eur',
      customer: 'cus_buyer',
      payment_method: 'pm_card',
      confirm: 'true',
      off_session: 'true',
      transfer_group: 'c1',
      'metadata[idempotencyKey]': 'charge-c1',
      'metadata[commandeId]': 'c1',
    });
  });

  it('counts an insurance fee already deleted at Stripe as cancelled', async () => {
    on('DELETE', '/v1/invoiceitems/ii_gone', { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such invoiceitem' } } });
    expect(await gateway().cancelInsurance({ idempotencyKey: 'k', commandeId: 'c1', insuranceId: 'ii_gone', reason: 'r' })).toEqual({ id: 'ii_gone' });
  });

  it('maps a permanent decline, an invalid seller account and a Stripe outage', async () => {
    on('GET', '/v1/customers/cus_buyer', { status: 200, body: { id: 'cus_buyer', object: 'customer', invoice_settings: { default_payment_method: 'pm_card' } } });
    on('POST', '/v1/payment_intents', { status: 402, body: { error: { type: 'card_error', code: 'card_declined', decline_code: 'stolen_card', message: 'Your card was declined.' } } });
    on('POST', '/v1/transfers', { status: 400, body: { error: { type: 'invalid_request_error', code: 'account_invalid', message: 'The destination account is invalid' } } });
    on('POST', '/v1/refunds', { status: 500, body: { error: { type: 'api_error', message: 'boom' } } });
    const g = gateway();
    expect(await gatewayError(g.charge({ idempotencyKey: 'charge-c2', commandeId: 'c2', acheteurId: 'cus_buyer', amountCents: 100, description: 'x' }))).toMatchObject({
      kind: 'card_declined_permanent',
      declineCode: 'stolen_card',
    });
    expect((await gatewayError(g.transfer({ idempotencyKey: 'transfert-c2', commandeId: 'c2', vendeurId: 'acct_x', amountCents: 88, sourceChargeId: 'ch_x' }))).kind).toBe('invalid_account');
    expect((await gatewayError(g.refund({ idempotencyKey: 'remboursement-c2', commandeId: 'c2', chargeId: 'ch_x', amountCents: 100, reason: 'r' }))).kind).toBe('transient');
    // The SDK's own retry reused our key.
    const refunds = seen.filter((r) => r.path === '/v1/refunds');
    expect(refunds.length).toBe(2);
    expect(refunds.every((r) => r.idempotencyKey === 'remboursement-c2')).toBe(true);
  });

  it('lists charges page by page with Stripe cursors and our metadata', async () => {
    replies.push((r) =>
      r.path === '/v1/charges'
        ? {
            status: 200,
            body: r.query.get('starting_after')
              ? { object: 'list', has_more: false, data: [{ id: 'ch_3', object: 'charge', amount: 30, currency: 'eur', status: 'failed', created: 1_790_000_002, metadata: {} }] }
              : {
                  object: 'list',
                  has_more: true,
                  data: [
                    { id: 'ch_1', object: 'charge', amount: 10, currency: 'eur', status: 'succeeded', created: 1_790_000_000, metadata: { idempotencyKey: 'charge-a', commandeId: 'a' } },
                    { id: 'ch_2', object: 'charge', amount: 20, currency: 'eur', status: 'succeeded', created: 1_790_000_001, metadata: {} },
                  ],
                },
          }
        : undefined,
    );
    const g = gateway();
    const from = new Date(1_790_000_000_000);
    const to = new Date(1_790_000_100_000);
    const first = await g.listCharges({ from, to, limit: 2 });
    expect(first.items.map((i) => [i.id, i.status, i.idempotencyKey])).toEqual([
      ['ch_1', 'succeeded', 'charge-a'],
      ['ch_2', 'succeeded', null],
    ]);
    expect(first.nextCursor).toBe('ch_2');
    const second = await g.listCharges({ from, to, limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ nextCursor: null, items: [{ id: 'ch_3', status: 'failed' }] });
    expect(seen[0]!.query.get('created[gte]')).toBe('1790000000');
    expect(seen[0]!.query.get('limit')).toBe('2');
    expect(seen[1]!.query.get('starting_after')).toBe('ch_2');
  });
});

describe('mapStripeError', () => {
  const card = (code: string, decline_code?: string) => new Stripe.errors.StripeCardError({ type: 'card_error', message: 'declined', code, decline_code });
  it('tells permanent declines from the others', () => {
    expect(mapStripeError(card('card_declined', 'lost_card'), 'charge').kind).toBe('card_declined_permanent');
    expect(mapStripeError(card('expired_card'), 'charge').kind).toBe('card_declined_permanent');
    expect(mapStripeError(card('card_declined', 'insufficient_funds'), 'charge').kind).toBe('card_declined');
    expect(mapStripeError(card('card_declined', 'generic_decline'), 'charge').kind).toBe('card_declined');
  });
  it('keeps retries for what has no definite answer', () => {
    expect(mapStripeError(new Stripe.errors.StripeConnectionError({ type: 'api_error', message: 'socket hang up' }), 'transfer').kind).toBe('transient');
    expect(mapStripeError(new Stripe.errors.StripeRateLimitError({ type: 'invalid_request_error', message: 'slow down' }), 'transfer').kind).toBe('transient');
    expect(mapStripeError(new Error('ECONNRESET'), 'refund').kind).toBe('transient');
    expect(mapStripeError(new Stripe.errors.StripeIdempotencyError({ type: 'idempotency_error', message: 'key in use' }), 'refund').kind).toBe('idempotency_conflict');
    expect(mapStripeError(new Stripe.errors.StripeInvalidRequestError({ type: 'invalid_request_error', message: 'no', code: 'parameter_invalid_integer' }), 'refund').kind).toBe('rejected');
  });
});

describe('ResendMailer', () => {
  const mailer = () => new ResendMailer({ apiKey: 're_stub', from: 'Vigie <no-reply@vigie.test>', baseUrl: `http://127.0.0.1:${port}` });
  const message = { to: 'camille@example.test', subject: 'Bienvenue', text: 'Bonjour', template: 'guide-démarrage', variables: {}, idempotencyKey: 'onboarding-u1:guide-démarrage' };

  it('sends the idempotency key as the Idempotency-Key header', async () => {
    on('POST', '/emails', { status: 200, body: { id: 'email_1' } });
    expect(await mailer().send(message)).toEqual({ id: 'email_1' });
    expect(seen).toHaveLength(1);
    // A header cannot carry "é": the key goes percent-encoded, the same on every retry.
    expect(seen[0]!.idempotencyKey).toBe('onboarding-u1%3Aguide-d%C3%A9marrage');
    expect(decodeURIComponent(seen[0]!.idempotencyKey!)).toBe(message.idempotencyKey);
    expect(seen[0]!.json).toMatchObject({ to: 'camille@example.test', from: 'Vigie <no-reply@vigie.test>', subject: 'Bienvenue', tags: [{ name: 'template', value: 'guide-demarrage' }] });
  });

  it('tells a refused message from a failure worth retrying', async () => {
    on('POST', '/emails', { status: 422, body: { name: 'validation_error', message: 'Invalid `to` field', statusCode: 422 } });
    const refused = await mailer().send(message).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MailerError);
    expect((refused as MailerError).kind).toBe('rejected');
    replies = [];
    on('POST', '/emails', { status: 500, body: { name: 'internal_server_error', message: 'boom', statusCode: 500 } });
    expect(((await mailer().send(message).catch((e: unknown) => e)) as MailerError).kind).toBe('transient');
  });

  it('reads a sent message back, subject and body as Resend holds them', async () => {
    const id = '4ef9a417-02e9-4d39-ad75-9611e0fcc33c';
    on('GET', `/emails/${id}`, {
      status: 200,
      body: {
        object: 'email', id, to: ['camille@example.test'], from: 'Vigie <no-reply@vigie.test>', created_at: '2026-12-03 09:15:02.123456+00',
        subject: 'Bienvenue dans votre essai', html: null, text: 'Bonjour <b>Camille</b>,\n\nVotre essai commence.', bcc: null, cc: null, reply_to: null,
        last_event: 'delivered', scheduled_at: null, message_id: '<x@resend>', tags: [{ name: 'template', value: 'bienvenue-trial' }],
      },
    });
    expect(await mailer().sentMessage(id)).toEqual({
      id,
      from: 'Vigie <no-reply@vigie.test>',
      to: ['camille@example.test'],
      subject: 'Bienvenue dans votre essai',
      text: 'Bonjour <b>Camille</b>,\n\nVotre essai commence.',
      html: null,
      createdAt: '2026-12-03T09:15:02.123Z',
      lastEvent: 'delivered',
    });
    expect(seen.map((r) => [r.method, r.path])).toEqual([['GET', `/emails/${id}`]]);
  });

  it('answers null for a message Resend no longer has, and tells a key that may not read from an outage', async () => {
    on('GET', '/emails/gone', { status: 404, body: { name: 'not_found', message: 'Email not found', statusCode: 404 } });
    on('GET', '/emails/sending-key', { status: 401, body: { name: 'restricted_api_key', message: 'This API key is restricted to only send emails', statusCode: 401 } });
    on('GET', '/emails/outage', { status: 500, body: { name: 'internal_server_error', message: 'boom', statusCode: 500 } });
    expect(await mailer().sentMessage('gone')).toBeNull();
    const restricted = await mailer().sentMessage('sending-key').catch((e: unknown) => e);
    expect(restricted).toBeInstanceOf(MailerError);
    expect(restricted).toMatchObject({ kind: 'rejected', message: expect.stringContaining('restricted_api_key') });
    expect(await mailer().sentMessage('outage').catch((e: unknown) => e)).toMatchObject({ kind: 'transient' });
    // An id is one path segment, whatever it holds.
    on('GET', '/emails/..%2Fdomains', { status: 404, body: { name: 'not_found', message: 'Email not found', statusCode: 404 } });
    expect(await mailer().sentMessage('../domains')).toBeNull();
    expect(seen.at(-1)!.path).toBe('/emails/..%2Fdomains');
  });
});
