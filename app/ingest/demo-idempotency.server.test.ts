// The demo endpoints and the real machines together, against the test run's PostgreSQL: the
// machines' default I/O (createCheckoutActors, createKanbanActors) with a fetch that calls the
// route modules in process, so a restored or timed-out machine meets the endpoint as a browser would.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActor, waitFor, type AnyActorRef } from 'xstate';
import {
  createCheckoutActors,
  createKanbanActors,
  EN_TÊTE_IDEMPOTENCE,
  machineCheckout,
  machineDragAndDropKanban,
  nouvelleCléIdempotence,
  persistSnapshot,
  restoreActor,
  type Colonne,
} from '../../machines';
import { makeTenantContext, sessionCookieFor, testDb, uid } from '../../test-support/factories';
import * as livraison from '../routes/demo.$tenantId.api.livraison';
import * as move from '../routes/demo.$tenantId.api.move.$cardId';
import * as pay from '../routes/demo.$tenantId.api.pay';
import { db } from '../server/db.server';

let tenantId: string;
let cookie: string;

beforeAll(async () => {
  const { tenant, staff } = await makeTenantContext('support');
  tenantId = tenant.id;
  cookie = (await sessionCookieFor(staff, tenantId)).header;
});
afterAll(async () => {
  await db().$disconnect();
  await testDb().$disconnect();
});

interface Received {
  method: string;
  path: string;
  key: string | null;
  answer: Promise<Response>;
}

/** A fetch that serves /demo/<tenant>/api/* from the route modules, with the staff cookie, and remembers every request. */
function demoServer() {
  const received: Received[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    const url = new URL(String(input), 'http://demo.test');
    const headers = new Headers(init?.headers);
    headers.set('Cookie', cookie);
    // What the page's same-origin fetch sends with a mutation (the console refuses cross-site ones).
    if (init?.method && init.method !== 'GET') headers.set('Origin', url.origin);
    const request = new Request(url, { ...init, headers });
    const args = { request, context: { clientAddress: '127.0.0.1', cspNonce: '' } };
    const parts = url.pathname.split('/');
    const [, , tenant, , endpoint, cardId] = parts;
    const params = { tenantId: tenant, cardId: cardId && decodeURIComponent(cardId) };
    let handled: Promise<Response>;
    if (endpoint === 'livraison') handled = livraison.action({ ...args, params });
    else if (endpoint === 'pay') handled = pay.action({ ...args, params });
    else if (endpoint === 'move') handled = request.method === 'GET' ? move.loader({ ...args, params }) : move.action({ ...args, params });
    else throw new Error(`no demo endpoint at ${url.pathname}`);
    // Thrown Responses (403/404 from the access check) are answers too; the test reads its own copy.
    const both = handled
      .catch((thrown: unknown) => {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      })
      .then((response) => ({ response, copy: response.clone() }));
    received.push({ method: request.method, path: url.pathname, key: headers.get(EN_TÊTE_IDEMPOTENCE), answer: both.then((b) => b.copy) });
    // Like a browser's fetch: an aborted request rejects at once, while the server goes on with it.
    return new Promise<Response>((resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
      both.then((b) => resolve(b.response), reject);
    });
  };
  return {
    fetchFn,
    received,
    to: (endpoint: string) => received.filter((r) => r.path.split('/')[4] === endpoint),
    /** Every request answered, those of stopped actors included. */
    settled: () => Promise.allSettled(received.map((r) => r.answer)),
  };
}

const ADRESSE = { prénom: 'Camille', nom: 'Martin', ligne1: '12 rue des Lilas', ligne2: '', ville: 'Lyon', codePostal: '69003', pays: 'FR' };

function checkout(server: ReturnType<typeof demoServer>, payQuery: string, délaiPaiement?: number) {
  return machineCheckout.provide({
    actors: createCheckoutActors({
      endpoints: { validerLivraison: `/demo/${tenantId}/api/livraison`, traiterPaiement: `/demo/${tenantId}/api/pay?${payQuery}` },
      fetch: server.fetchFn,
    }),
    ...(délaiPaiement === undefined ? {} : { delays: { délaiPaiement } }),
  });
}

async function toPaiement(actor: AnyActorRef) {
  actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'table-chene', quantité: 2, prix: 650 });
  actor.send({ type: 'ALLER_LIVRAISON' });
  actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: ADRESSE, méthode: 'express' });
  await waitFor(actor, (s) => s.matches('paiement'), { timeout: 5_000 });
}

const paymentsOf = (key: string) => testDb().demoPayment.findMany({ where: { tenantId, idempotencyKey: key } });

describe('demo payment endpoint: one charge per idempotency key', () => {
  it('charges once when a checkout is restored 5 times mid-payment (6 requests, one key)', async () => {
    const server = demoServer();
    const chargesBefore = await testDb().demoPayment.count({ where: { tenantId } });
    const machine = checkout(server, 'delay=400');
    let actor = createActor(machine).start();
    await toPaiement(actor);
    actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_card_visa' });
    for (let restore = 1; restore <= 5; restore++) {
      await vi.waitFor(() => expect(server.to('pay')).toHaveLength(restore), { timeout: 5_000, interval: 10 });
      const stored = JSON.parse(JSON.stringify(persistSnapshot(actor)));
      actor.stop();
      actor = restoreActor(machine, stored);
    }
    const done = await waitFor(actor, (s) => s.matches('confirmation'), { timeout: 10_000 });
    await server.settled();

    const requests = server.to('pay');
    expect(requests).toHaveLength(6);
    expect(new Set(requests.map((r) => r.key)).size).toBe(1);
    const rows = await paymentsOf(requests[0]!.key!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'succeeded', amountCents: 130_000, orderRef: done.context.référenceCommande });
    expect(await testDb().demoPayment.count({ where: { tenantId } })).toBe(chargesBefore + 1);
    // Every request, those the stopped actors never read included, got that one order.
    const answers = await Promise.all(requests.map(async (r) => (await r.answer).json() as Promise<{ référenceCommande: string }>));
    expect(new Set(answers.map((a) => a.référenceCommande))).toEqual(new Set([done.context.référenceCommande]));
    actor.stop();
  });

  it('does not charge twice when the shopper retries a payment that timed out after the server charged it', async () => {
    const server = demoServer();
    // The page gives up after 150 ms; the server takes 1 s (or until the page gives up) and charges anyway.
    const slow = createActor(checkout(server, 'delay=1000', 150)).start();
    await toPaiement(slow);
    slow.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_card_visa' });
    await waitFor(slow, (s) => s.matches('erreurPaiement'), { timeout: 5_000 });
    expect(slow.getSnapshot().context.erreurPaiement).toBe('erreur_réseau');
    await server.settled();
    const key = server.to('pay')[0]!.key!;
    expect(await paymentsOf(key)).toHaveLength(1);

    // The shopper reloads once the network is back (the stored checkout resumes) and retries.
    const stored = JSON.parse(JSON.stringify(persistSnapshot(slow)));
    slow.stop();
    const actor = restoreActor(checkout(server, 'delay=0'), stored);
    actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_card_visa' });
    const done = await waitFor(actor, (s) => s.matches('confirmation'), { timeout: 5_000 });
    expect(server.to('pay').map((r) => r.key)).toEqual([key, key]);
    const rows = await paymentsOf(key);
    expect(rows).toHaveLength(1);
    expect(done.context.référenceCommande).toBe(rows[0]!.orderRef);
    expect(done.context.tentativesPaiement).toBe(1);
    actor.stop();
  });

  it('gives a new attempt a new key, so a declined payment does not decline the next one', async () => {
    const server = demoServer();
    const failing = createActor(checkout(server, 'delay=0&fail=processing_error')).start();
    await toPaiement(failing);
    failing.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_card_visa' });
    await waitFor(failing, (s) => s.matches('erreurPaiement'), { timeout: 5_000 });
    expect(failing.getSnapshot().context.erreurPaiement).toBe('processing_error');
    // The same checkout, now against a payment that succeeds: RÉESSAYER makes a new attempt.
    const stored = JSON.parse(JSON.stringify(persistSnapshot(failing)));
    failing.stop();
    const actor = restoreActor(checkout(server, 'delay=0'), stored);
    actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_card_visa' });
    await waitFor(actor, (s) => s.matches('confirmation'), { timeout: 5_000 });
    const [first, second] = server.to('pay').map((r) => r.key!);
    expect(first).not.toBe(second);
    expect((await paymentsOf(first!))[0]).toMatchObject({ status: 'failed', errorCode: 'processing_error', orderRef: null });
    expect((await paymentsOf(second!))[0]).toMatchObject({ status: 'succeeded' });
    actor.stop();
  });

  it('refuses a request without a key, and a key reused with another cart', async () => {
    const server = demoServer();
    const post = (key: string | null, items: unknown) =>
      server.fetchFn(`/demo/${tenantId}/api/pay`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(key ? { [EN_TÊTE_IDEMPOTENCE]: key } : {}) },
        body: JSON.stringify({ méthodeId: 'pm_card_visa', items, adresse: ADRESSE, méthode: 'express' }),
      });
    const cart = [{ produitId: 'lampe', quantité: 1, prix: 89.9 }];
    expect((await post(null, cart)).status).toBe(400);
    expect((await post('paiement-pas-une-clé', cart)).status).toBe(400);
    expect((await post(nouvelleCléIdempotence('deplacement'), cart)).status).toBe(400);
    const key = nouvelleCléIdempotence('paiement');
    expect((await post(key, cart)).status).toBe(200);
    const other = await post(key, [{ produitId: 'lampe', quantité: 2, prix: 89.9 }]);
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ code: 'idempotency_key_in_use' });
    expect(await paymentsOf(key)).toEqual([expect.objectContaining({ amountCents: 8_990 })]);
  });
});

const BOARD: Colonne[] = [
  { id: 'todo', titre: 'À faire', cartes: [{ id: 'carte-1', titre: 'Tâche 1' }, { id: 'carte-2', titre: 'Tâche 2' }] },
  { id: 'review', titre: 'Revue', cartes: [{ id: 'carte-7', titre: 'Tâche 7' }] },
];
const cardsOf = (colonnes: Colonne[]) => colonnes.map((c) => c.cartes.map((x) => x.id));

/** délaiSauvegarde leaves the server time to apply a move (100 ms) before the board gives up, but for `hang`. */
function board(server: ReturnType<typeof demoServer>, boardId: string, fault: 'none' | 'hang' | 'lost_answer', délaiSauvegarde = 2_000) {
  const url = (carteId: string, query: Record<string, string>) =>
    `/demo/${tenantId}/api/move/${encodeURIComponent(carteId)}?${new URLSearchParams({ board: boardId, ...query })}`;
  return machineDragAndDropKanban.provide({
    actors: createKanbanActors({
      urlDéplacement: (carteId) => url(carteId, fault === 'none' ? {} : { fault }),
      urlPosition: (carteId) => url(carteId, {}),
      fetch: server.fetchFn,
    }),
    delays: { délaiSauvegarde },
  });
}

/** Drags carte-1 from todo[0] to review[1] and waits until the board is done with the save, however it ends. */
async function moveCard1(actor: AnyActorRef) {
  actor.send({ type: 'COMMENCER', carteId: 'carte-1', colonneId: 'todo', index: 0 });
  actor.send({ type: 'SURVOL', colonneId: 'review', indexCible: 1 });
  actor.send({ type: 'DÉPOSER' });
  return waitFor(actor, (s) => !s.matches('sauvegarde') && !s.matches('vérificationSauvegarde'), { timeout: 5_000 });
}

const movesOf = (boardId: string) => testDb().demoCardMove.findMany({ where: { tenantId, boardId }, orderBy: { id: 'asc' } });

describe('demo move endpoint: a save that timed out is settled by re-reading the card', () => {
  it('keeps the card where the server put it when the save was applied but its answer was lost', async () => {
    const server = demoServer();
    const boardId = uid('board');
    const actor = createActor(board(server, boardId, 'lost_answer'), { input: { colonnes: BOARD } }).start();
    const after = await moveCard1(actor);
    expect(after.value).toBe('repos');
    expect(cardsOf(after.context.colonnes)).toEqual([['carte-2'], ['carte-7', 'carte-1']]);
    expect(server.received.map((r) => r.method)).toEqual(['PATCH', 'GET']);
    expect(await movesOf(boardId)).toEqual([expect.objectContaining({ cardId: 'carte-1', columnId: 'review', cardIndex: 1 })]);
    actor.stop();
  });

  it('rolls the card back when the save was never applied', async () => {
    const server = demoServer();
    const boardId = uid('board');
    const actor = createActor(board(server, boardId, 'hang', 300), { input: { colonnes: BOARD } }).start();
    const after = await moveCard1(actor);
    expect(after.value).toBe('erreurSauvegarde');
    expect(after.context.erreurSauvegarde).toBe('Délai de sauvegarde dépassé');
    expect(after.context.colonnes).toEqual(BOARD);
    await server.settled();
    expect(await movesOf(boardId)).toEqual([]);
    actor.stop();
  });

  it('applies a save resent with the same key once (restores mid-save), and never replays an older one over a newer move', async () => {
    const server = demoServer();
    const boardId = uid('board');
    const machine = board(server, boardId, 'none');
    let actor = createActor(machine, { input: { colonnes: BOARD } }).start();
    actor.send({ type: 'COMMENCER', carteId: 'carte-1', colonneId: 'todo', index: 0 });
    actor.send({ type: 'SURVOL', colonneId: 'review', indexCible: 1 });
    actor.send({ type: 'DÉPOSER' });
    for (let restore = 1; restore <= 2; restore++) {
      const stored = JSON.parse(JSON.stringify(persistSnapshot(actor)));
      actor.stop();
      actor = restoreActor(machine, stored);
    }
    await waitFor(actor, (s) => s.matches('repos'), { timeout: 5_000 });
    await server.settled();
    const saves = server.to('move').filter((r) => r.method === 'PATCH');
    expect(saves).toHaveLength(3);
    expect(new Set(saves.map((r) => r.key)).size).toBe(1);
    expect(await movesOf(boardId)).toHaveLength(1);

    // carte-1 moves on to todo[0]; the first save, resent late with its key, must not bring it back.
    actor.send({ type: 'COMMENCER', carteId: 'carte-1', colonneId: 'review', index: 1 });
    actor.send({ type: 'SURVOL', colonneId: 'todo', indexCible: 0 });
    actor.send({ type: 'DÉPOSER' });
    await waitFor(actor, (s) => s.matches('repos'), { timeout: 5_000 });
    const stale = await server.fetchFn(`/demo/${tenantId}/api/move/carte-1?board=${boardId}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', [EN_TÊTE_IDEMPOTENCE]: saves[0]!.key! },
      body: JSON.stringify({ colonneId: 'review', index: 1 }),
    });
    expect(stale.status).toBe(200);
    expect(await movesOf(boardId)).toHaveLength(2);
    const position = await server.fetchFn(`/demo/${tenantId}/api/move/carte-1?board=${boardId}`, { method: 'GET' });
    expect(await position.json()).toEqual({ position: { colonneId: 'todo', index: 0 } });

    // The same key with another move is refused.
    const reused = await server.fetchFn(`/demo/${tenantId}/api/move/carte-1?board=${boardId}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', [EN_TÊTE_IDEMPOTENCE]: saves[0]!.key! },
      body: JSON.stringify({ colonneId: 'todo', index: 0 }),
    });
    expect(reused.status).toBe(409);
    actor.stop();
  });
});
