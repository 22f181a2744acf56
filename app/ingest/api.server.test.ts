// The ingestion API through its route actions, against the real PostgreSQL of the test run.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTenant, testDb } from '../../test-support/factories';
import { action as checkoutAction } from '../routes/api.v1.checkout-events';
import { action as kanbanAction } from '../routes/api.v1.kanban-errors';
import { generateApiKey } from '../admin/api-keys.server';
import { db } from '../server/db.server';
import { ingestRateLimiter } from './rate-limit.server';
import { parseCheckoutBatch } from './schema.server';
import { ingestPool, storeCheckoutEvents } from './store.server';

async function tenantWithKey() {
  const tenant = await makeTenant('Ingest');
  const made = generateApiKey(tenant.id);
  const key = await db().apiKey.create({ data: { tenantId: tenant.id, name: 'test', prefix: made.prefix, keyHash: made.keyHash } });
  return { tenantId: tenant.id, rawKey: made.raw, keyId: key.id };
}

const fullContext = {
  items: [{ produitId: 'canape-3p', quantité: 1, prix: 649.9 }, { produitId: 'coussin', quantité: 2, prix: 25 }],
  adresseLivraison: { prénom: 'Camille', nom: 'Martin', ligne1: '12 rue des Lilas', ligne2: 'Bât. B', ville: 'Lyon', codePostal: '69003', pays: 'FR' },
  méthodeExpédition: 'express',
  méthodeId: 'pm_1QabcSecretCardId',
  tentativesPaiement: 1,
  référenceCommande: null,
  erreurLivraison: null,
  erreurPaiement: 'card_declined',
  erreurRéseau: null,
  email: 'camille.martin@example.fr',
};

function checkoutEvent(over: Record<string, unknown> = {}) {
  return {
    source: 'checkout',
    eventId: randomUUID(),
    sessionId: 'sess-1',
    machineId: 'checkout',
    version: '1.0.0',
    at: new Date().toISOString(),
    state: 'paiement',
    tags: ['navigation'],
    eventType: 'xstate.done.actor.validerLivraison',
    context: fullContext,
    ...over,
  };
}

function post(action: typeof checkoutAction, body: unknown, key: string | null, headers: Record<string, string> = {}) {
  const request = new Request('http://test.local/api/v1/x', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return action({ request, params: {}, context: { clientAddress: '127.0.0.1', cspNonce: '' } });
}

const transitionsOf = (tenantId: string) => db().checkoutTransition.count({ where: { tenantId } });

afterEach(async () => {
  ingestRateLimiter().config = { perSecond: 50, burst: 100 };
  await ingestRateLimiter().reset();
});
afterAll(async () => {
  await ingestPool().end();
  await db().$disconnect();
  await testDb().$disconnect();
});

describe('POST /api/v1/checkout-events', () => {
  it('stores a batch and answers 202 with the counts once it is in PostgreSQL', async () => {
    const { tenantId, rawKey } = await tenantWithKey();
    const events = [
      checkoutEvent({ state: 'panier', eventType: 'AJOUTER_ARTICLE', at: new Date(Date.now() - 3000).toISOString() }),
      checkoutEvent({ state: { traitementPaiement: { paiement: 'en_cours', animation: 'tournant' } }, eventType: 'CONFIRMER_PAIEMENT' }),
    ];
    const res = await post(checkoutAction, { events }, rawKey);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0 });
    expect(await transitionsOf(tenantId)).toBe(2);
    const session = await db().checkoutSession.findUniqueOrThrow({ where: { tenantId_sessionId: { tenantId, sessionId: 'sess-1' } } });
    expect(session).toMatchObject({
      state: 'traitementPaiement',
      step: 'paiement',
      // Derived from the machine, not from the client's tags.
      tags: ['bloquant', 'chargement'],
      cartCents: 64990 + 5000,
      itemCount: 3,
      paymentAttempts: 1,
      lastErrorCode: 'card_declined',
      lastEventType: 'CONFIRMER_PAIEMENT',
    });
  });

  it('names the faulty field of a malformed batch with 400 and stores nothing of it', async () => {
    const { tenantId, rawKey } = await tenantWithKey();
    const events = [checkoutEvent(), checkoutEvent(), checkoutEvent(), { ...checkoutEvent(), state: undefined }];
    const res = await post(checkoutAction, { events }, rawKey);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('events[3].state: Required');

    const unknownState = await post(checkoutAction, { events: [checkoutEvent({ state: 'remboursé' })] }, rawKey);
    expect(unknownState.status).toBe(400);
    expect((await unknownState.json()).error).toMatch(/^events\[0\]\.state: not a state of machineCheckout/);

    const badDate = await post(checkoutAction, { events: [checkoutEvent({ at: 'yesterday' })] }, rawKey);
    expect((await badDate.json()).error).toBe('events[0].at: expected an ISO 8601 date-time');

    const notJson = await post(checkoutAction, '{"events": [', rawKey);
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toBe('The body is not valid JSON.');

    const empty = await post(checkoutAction, { events: [] }, rawKey);
    expect((await empty.json()).error).toBe('events: send at least one event');
    expect(await transitionsOf(tenantId)).toBe(0);
  });

  it('refuses an oversized body or more than 500 events with 413', async () => {
    const { tenantId, rawKey } = await tenantWithKey();
    const big = { events: [checkoutEvent({ eventType: 'X'.repeat(300 * 1024) })] };
    const res = await post(checkoutAction, big, rawKey);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/larger than 262144 bytes/);

    const many = { events: Array.from({ length: 501 }, () => ({ eventId: randomUUID() })) };
    const tooMany = await post(checkoutAction, many, rawKey);
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).error).toBe('501 events in one batch: send at most 500.');
    expect(await transitionsOf(tenantId)).toBe(0);
  });

  it('stores a resent batch once, and a duplicate inside one batch once', async () => {
    const { tenantId, rawKey } = await tenantWithKey();
    const events = [checkoutEvent(), checkoutEvent(), checkoutEvent()];
    expect(await (await post(checkoutAction, { events }, rawKey)).json()).toEqual({ accepted: 3, duplicates: 0 });
    expect(await (await post(checkoutAction, { events }, rawKey)).json()).toEqual({ accepted: 0, duplicates: 3 });
    const fresh = checkoutEvent();
    expect(await (await post(checkoutAction, { events: [events[0], fresh, fresh] }, rawKey)).json()).toEqual({ accepted: 1, duplicates: 2 });
    // Two batches sent at the same time with the same events store them once between them.
    const twice = [checkoutEvent(), checkoutEvent()];
    const answers = await Promise.all([post(checkoutAction, { events: twice }, rawKey), post(checkoutAction, { events: twice }, rawKey)]);
    const counts = await Promise.all(answers.map((a) => a.json()));
    expect(counts.reduce((n, c) => n + c.accepted, 0)).toBe(2);
    expect(await transitionsOf(tenantId)).toBe(6);
  });

  it('refuses a missing, wrong or revoked key with 401 and a message saying which', async () => {
    const { tenantId, rawKey, keyId } = await tenantWithKey();
    const body = { events: [checkoutEvent()] };
    const none = await post(checkoutAction, body, null);
    expect(none.status).toBe(401);
    expect((await none.json()).error).toMatch(/^Missing API key/);
    const wrong = await post(checkoutAction, body, `${rawKey.slice(0, -4)}AAAA`);
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toMatch(/^Unknown or revoked API key/);
    await db().apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
    const revoked = await post(checkoutAction, body, rawKey);
    expect(revoked.status).toBe(401);
    expect(await transitionsOf(tenantId)).toBe(0);
  });

  it('files events under the key’s tenant, whatever the body says', async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey();
    const res = await post(checkoutAction, { events: [checkoutEvent({ tenantId: b.tenantId })] }, a.rawKey);
    expect(res.status).toBe(202);
    expect(await transitionsOf(a.tenantId)).toBe(1);
    expect(await transitionsOf(b.tenantId)).toBe(0);
  });

  it('strips personal and payment data even when the client sends it', async () => {
    const { tenantId, rawKey } = await tenantWithKey();
    const leaky = checkoutEvent({
      context: { ...fullContext, erreurLivraison: 'Adresse 12 rue des Lilas introuvable pour Camille Martin' },
    });
    expect((await post(checkoutAction, { events: [leaky] }, rawKey)).status).toBe(202);
    const session = await db().checkoutSession.findFirstOrThrow({ where: { tenantId } });
    const transition = await db().checkoutTransition.findFirstOrThrow({ where: { tenantId } });
    const stored = JSON.stringify([session, transition], (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    for (const secret of ['Camille', 'Martin', 'Lilas', 'Bât', '69003', 'pm_1Q', 'example.fr']) expect(stored).not.toContain(secret);
    expect(session.context).toEqual({
      items: fullContext.items,
      adresseLivraison: { ville: 'Lyon', pays: 'FR', codePostalPréfixe: '69' },
      méthodeExpédition: 'express',
      méthodePaiementChoisie: true,
      tentativesPaiement: 1,
      référenceCommande: null,
      erreurLivraison: '[masqué]',
      erreurPaiement: 'card_declined',
      erreurRéseau: null,
    });
  });

  it('rate-limits per key with 429 and Retry-After, other keys unaffected', async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey();
    ingestRateLimiter().config = { perSecond: 0.5, burst: 2 };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(checkoutAction, { events: [checkoutEvent()] }, a.rawKey)).status);
    expect(statuses).toEqual([202, 202, 429]);
    const limited = await post(checkoutAction, { events: [checkoutEvent()] }, a.rawKey);
    expect(limited.headers.get('Retry-After')).toBe('2');
    expect((await limited.json()).error).toMatch(/^Too many requests/);
    expect((await post(checkoutAction, { events: [checkoutEvent()] }, b.rawKey)).status).toBe(202);
    expect(await transitionsOf(a.tenantId)).toBe(2);
  });

  it('keeps when a session entered its state across the spinner’s updates, and lets no late batch go back in time', async () => {
    const { tenantId, rawKey } = await tenantWithKey();
    const t0 = Date.now() - 60_000;
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const processing = (animation: string, s: number) =>
      checkoutEvent({ sessionId: 's-stuck', state: { traitementPaiement: { paiement: 'en_cours', animation } }, at: at(s) });
    await post(checkoutAction, { events: [checkoutEvent({ sessionId: 's-stuck', state: 'paiement', at: at(0) }), processing('tournant', 1)] }, rawKey);
    await post(checkoutAction, { events: [processing('pulsation', 2), processing('tournant', 3)] }, rawKey);
    await post(checkoutAction, { events: [checkoutEvent({ sessionId: 's-stuck', state: 'paiement', at: at(0.5) })] }, rawKey);
    const s = await db().checkoutSession.findUniqueOrThrow({ where: { tenantId_sessionId: { tenantId, sessionId: 's-stuck' } } });
    expect(s.state).toBe('traitementPaiement');
    expect(s.stateSince.toISOString()).toBe(at(1));
    expect(s.lastEventAt.toISOString()).toBe(at(3));
    expect(s.firstEventAt.toISOString()).toBe(at(0));
  });

  it('stores another tenant’s valid batch sent at the same moment as a poisoned one, and fails only the poisoned one', async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey();
    const [bad, good] = await Promise.all([
      post(checkoutAction, { events: [checkoutEvent({ eventType: 'AJOUTER\u0000ARTICLE' }), checkoutEvent()] }, a.rawKey),
      post(checkoutAction, { events: [checkoutEvent({ sessionId: 'sess-b' }), checkoutEvent({ sessionId: 'sess-b' })] }, b.rawKey),
    ]);
    expect(bad.status).toBe(400);
    expect(good.status).toBe(202);
    expect(await good.json()).toEqual({ accepted: 2, duplicates: 0 });
    expect(await transitionsOf(a.tenantId)).toBe(0);
    expect(await transitionsOf(b.tenantId)).toBe(2);
  });

  it('isolates requests inside one flush when PostgreSQL refuses a value: only the faulty request fails', async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey();
    const rows = (over: Record<string, unknown>) => {
      const parsed = parseCheckoutBatch({ events: [checkoutEvent(over)] });
      if (!parsed.ok) throw new Error(parsed.issues[0]);
      return parsed.events;
    };
    // Straight to the store, past the API's own checks: PostgreSQL refuses U+0000 in text.
    const poisoned = rows({ sessionId: 'sess-a' }).map((r) => ({ ...r, eventType: 'X\u0000Y' }));
    const [failed, stored] = await Promise.allSettled([storeCheckoutEvents(a.tenantId, poisoned), storeCheckoutEvents(b.tenantId, rows({ sessionId: 'sess-b' }))]);
    expect(failed.status).toBe('rejected');
    expect(stored).toEqual({ status: 'fulfilled', value: [true] });
    expect(await transitionsOf(a.tenantId)).toBe(0);
    expect(await transitionsOf(b.tenantId)).toBe(1);
  });

  it('answers a CORS preflight and refuses GET', async () => {
    const preflight = await checkoutAction({ request: new Request('http://test.local/api/v1/checkout-events', { method: 'OPTIONS' }), params: {}, context: { clientAddress: '127.0.0.1', cspNonce: '' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
    const get = await checkoutAction({ request: new Request('http://test.local/api/v1/checkout-events'), params: {}, context: { clientAddress: '127.0.0.1', cspNonce: '' } });
    expect(get.status).toBe(405);
  });
});

describe('POST /api/v1/kanban-errors', () => {
  const board = [
    { id: 'todo', titre: 'À faire', cartes: [{ id: 'c1', titre: 'Carte 1' }, { id: 'c2', titre: 'Carte 2' }] },
    { id: 'done', titre: 'Fait', limite: 2, cartes: [] },
  ];
  const saveError = (over: Record<string, unknown> = {}) => ({
    source: 'kanban', eventId: randomUUID(), sessionId: 'board-sess', machineId: 'dndKanban', version: '1.0.0',
    at: new Date().toISOString(), boardId: 'board-1', carteId: 'c2', colonneOriginale: 'todo', colonneCible: 'done',
    indexCible: 0, erreur: 'Erreur 500', kind: 'error', board, ...over,
  });

  it('stores save errors once each, with the card’s original index read from the board after rollback', async () => {
    const { tenantId, rawKey } = await tenantWithKey();
    const events = [saveError(), saveError({ kind: 'timeout', erreur: 'Délai de sauvegarde dépassé' })];
    expect(await (await post(kanbanAction, { events }, rawKey)).json()).toEqual({ accepted: 2, duplicates: 0 });
    expect(await (await post(kanbanAction, { events }, rawKey)).json()).toEqual({ accepted: 0, duplicates: 2 });
    const rows = await db().kanbanSaveError.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.kind, r.cardId, r.fromColumn, r.toColumn, r.targetIndex, r.originalIndex])).toEqual([
      ['error', 'c2', 'todo', 'done', 0, 1],
      ['timeout', 'c2', 'todo', 'done', 0, 1],
    ]);
    expect(rows[0].boardAfter).toEqual(board);
  });

  it('refuses an unknown kind naming the field', async () => {
    const { tenantId, rawKey } = await tenantWithKey();
    const res = await post(kanbanAction, { events: [saveError(), saveError({ kind: 'crash' })] }, rawKey);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/^events\[1\]\.kind: Invalid enum value/);
    expect(await db().kanbanSaveError.count({ where: { tenantId } })).toBe(0);
  });
});

describe('reading checkouts back', () => {
  it('lists the tenant’s sessions by state and tag, and finds the stuck ones by threshold', async () => {
    const { listCheckouts, parseCheckoutFilter } = await import('../live/checkouts.server');
    const { tenantId, rawKey } = await tenantWithKey();
    const old = new Date(Date.now() - 45_000).toISOString();
    await post(checkoutAction, {
      events: [
        checkoutEvent({ sessionId: 'slow-pay', state: { traitementPaiement: { paiement: 'en_cours', animation: 'tournant' } }, at: old }),
        checkoutEvent({ sessionId: 'fresh-pay', state: { traitementPaiement: { paiement: 'en_cours', animation: 'tournant' } } }),
        checkoutEvent({ sessionId: 'old-cart', state: 'panier', at: old }),
      ],
    }, rawKey);
    const list = async (q: string) => {
      const f = parseCheckoutFilter(new URLSearchParams(q));
      if (!f.success) throw f.error;
      return (await listCheckouts(tenantId, f.data)).rows.map((r) => r.sessionId).sort();
    };
    expect(await list('')).toEqual(['fresh-pay', 'old-cart', 'slow-pay']);
    expect(await list('stuck=1')).toEqual(['slow-pay']);
    expect(await list('stuck=1&threshold=60')).toEqual([]);
    expect(await list('tag=chargement')).toEqual(['fresh-pay', 'slow-pay']);
    expect(await list('state=panier')).toEqual(['old-cart']);
    expect(parseCheckoutFilter(new URLSearchParams('state=nope')).success).toBe(false);
    const other = await tenantWithKey();
    const f = parseCheckoutFilter(new URLSearchParams(''));
    expect(f.success && (await listCheckouts(other.tenantId, f.data)).rows).toEqual([]);
  });
});
