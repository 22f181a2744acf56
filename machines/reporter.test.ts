import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import { CHECKOUT_MACHINE_VERSION, machineCheckout } from './checkout/machine';
import type { AdresseLivraison, EntréeTraiterPaiement, SortieTraiterPaiement } from './checkout/types';
import { KANBAN_MACHINE_VERSION, machineDragAndDropKanban } from './kanban/machine';
import type { Colonne, EntréeLirePositionCarte, EntréeSauvegarderDéplacement, SortieLirePositionCarte } from './kanban/types';
import { createReporter, type ReporterOptions } from './reporter';
import type { CheckoutTransitionEvent, KanbanSaveErrorEvent, ReporterBatch, ReporterSource } from './reporter-types';

const ADRESSE: AdresseLivraison = {
  prénom: 'Ada', nom: 'Lovelace', ligne1: '1 rue de la République', ligne2: 'Appt 4',
  ville: 'Lyon', codePostal: '69001', pays: 'FR',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Réponse = number | 'réseau' | { status: number; retryAfter: string } | 'suspendue';

/** A local stand-in for the ingestion API: answers from a script, then 200. */
function fauxServeur(script: Réponse[] = []) {
  const appels: { à: number; corps: string; batch: ReporterBatch; headers: Headers }[] = [];
  const enAttente: (() => void)[] = [];
  const fetchFn: typeof fetch = (_url, init) => {
    const corps = String(init?.body);
    appels.push({ à: Date.now(), corps, batch: JSON.parse(corps) as ReporterBatch, headers: new Headers(init?.headers) });
    const réponse = script[appels.length - 1] ?? 200;
    if (réponse === 'réseau') return Promise.reject(new TypeError('Failed to fetch'));
    if (réponse === 'suspendue') {
      return new Promise((resolve) => enAttente.push(() => resolve(new Response(null, { status: 200 }))));
    }
    if (typeof réponse === 'object') {
      return Promise.resolve(new Response(null, { status: réponse.status, headers: { 'Retry-After': réponse.retryAfter } }));
    }
    return Promise.resolve(new Response(null, { status: réponse }));
  };
  return {
    fetchFn,
    appels,
    événements: () => appels.flatMap((a) => a.batch.events),
    libérer: () => enAttente.splice(0).forEach((r) => r()),
  };
}

function reporterDe<S extends ReporterSource>(source: S, fetchFn: typeof fetch, options: Partial<ReporterOptions<S>> = {}) {
  return createReporter({
    endpoint: 'https://vigie.test/api/ingest',
    apiKey: 'vk_test_123',
    source,
    sessionId: 'session-42',
    fetch: fetchFn,
    backoff: { initialMs: 1_000, factor: 2, maxMs: 30_000, jitter: 0 },
    ...options,
  });
}

/** Checkout with I/O stand-ins: delivery validates at once, payment answers after `délaiPaiementMs`. */
function checkout(délaiPaiementMs = 1_200) {
  const machine = machineCheckout.provide({
    actors: {
      validerLivraison: fromPromise(async () => ({ fraisLivraison: 30, délaiEstimé: '5 jours' })),
      traiterPaiement: fromPromise<SortieTraiterPaiement, EntréeTraiterPaiement>(
        () => new Promise((r) => setTimeout(() => r({ référenceCommande: 'CF-1', confirmation: 'ok' }), délaiPaiementMs)),
      ),
    },
  });
  return createActor(machine);
}

const ajouter = (actor: ReturnType<typeof checkout>, quantité = 1) =>
  actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'chaise', quantité, prix: 90 });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('reporter — checkout transitions', () => {
  it('reports each transition with its event, state, tags and a PII-free context', async () => {
    const serveur = fauxServeur();
    const reporter = reporterDe('checkout', serveur.fetchFn);
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    ajouter(actor);
    actor.send({ type: 'ALLER_LIVRAISON' });
    actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: ADRESSE, méthode: 'express' });
    await vi.advanceTimersByTimeAsync(0);
    actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_secret_visa' });
    actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_double_clic' });
    await vi.advanceTimersByTimeAsync(1_500);
    expect(actor.getSnapshot().value).toBe('confirmation');
    await reporter.stop();

    const événements = serveur.événements() as CheckoutTransitionEvent[];
    // The double click and the spinner's timer ticks are not transitions of the checkout.
    expect(événements.map((e) => e.eventType)).toEqual([
      'xstate.init', 'AJOUTER_ARTICLE', 'ALLER_LIVRAISON', 'CONFIRMER_LIVRAISON',
      'xstate.done.actor.validerLivraison', 'CONFIRMER_PAIEMENT', 'xstate.done.actor.traiterPaiement',
    ]);
    const paiement = événements[5]!;
    expect(paiement).toMatchObject({
      source: 'checkout', sessionId: 'session-42', machineId: 'checkout', version: CHECKOUT_MACHINE_VERSION,
      state: { traitementPaiement: { paiement: 'en_cours', animation: 'tournant' } },
      tags: ['bloquant', 'chargement'],
    });
    expect(paiement.context).toEqual({
      items: [{ produitId: 'chaise', quantité: 1, prix: 90 }],
      adresseLivraison: { ville: 'Lyon', pays: 'FR', codePostalPréfixe: '69' },
      méthodeExpédition: 'express',
      méthodePaiementChoisie: true,
      tentativesPaiement: 0,
      référenceCommande: null,
      erreurLivraison: null,
      erreurPaiement: null,
      erreurRéseau: null,
    });
    expect(événements.at(-1)!.context.référenceCommande).toBe('CF-1');
    expect(new Set(événements.map((e) => e.eventId)).size).toBe(événements.length);
    for (const e of événements) {
      expect(e.eventId).toMatch(UUID);
      expect(new Date(e.at).toISOString()).toBe(e.at);
    }
    const corps = serveur.appels.map((a) => a.corps).join('');
    for (const secret of ['pm_secret_visa', 'Lovelace', 'Ada', 'République', 'Appt 4', '69001']) {
      expect(corps).not.toContain(secret);
    }
    expect(serveur.appels[0]!.headers.get('Authorization')).toBe('Bearer vk_test_123');
    expect(serveur.appels[0]!.headers.get('Content-Type')).toBe('application/json');
  });

  it('attached to a running checkout, reports only what changes from then on', async () => {
    const serveur = fauxServeur();
    const reporter = reporterDe('checkout', serveur.fetchFn);
    const actor = checkout().start();
    ajouter(actor);
    reporter.attach(actor);
    actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_pas_ici' });
    actor.send({ type: 'ALLER_LIVRAISON' });
    await reporter.stop();
    expect(serveur.événements().map((e) => (e as CheckoutTransitionEvent).eventType)).toEqual(['ALLER_LIVRAISON']);
  });

  it('refuses an actor of the other machine', () => {
    const reporter = reporterDe('checkout', fauxServeur().fetchFn);
    const kanban = createActor(machineDragAndDropKanban, { input: {} });
    // The types already forbid it; the runtime check covers callers that cast.
    expect(() => reporter.attach(kanban as never)).toThrow(/cannot watch "dndKanban"/);
  });
});

describe('reporter — batching', () => {
  it('sends a full batch at once and a partial one after flushIntervalMs', async () => {
    const serveur = fauxServeur();
    const reporter = reporterDe('checkout', serveur.fetchFn, { batchSize: 3, flushIntervalMs: 1_000 });
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    for (let i = 0; i < 5; i++) ajouter(actor);
    await vi.advanceTimersByTimeAsync(0);
    expect(serveur.appels.map((a) => a.batch.events.length)).toEqual([3, 3]);

    ajouter(actor);
    await vi.advanceTimersByTimeAsync(999);
    expect(serveur.appels).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(serveur.appels.map((a) => a.batch.events.length)).toEqual([3, 3, 1]);
    expect(reporter.stats()).toMatchObject({ sent: 7, pending: 0, dropped: 0, retried: 0 });
    await reporter.stop();
  });

  it('never sends from inside the actor notification, and never holds the actor up', async () => {
    const serveur = fauxServeur(['suspendue']);
    const reporter = reporterDe('checkout', serveur.fetchFn, { batchSize: 1 });
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    ajouter(actor);
    actor.send({ type: 'ALLER_LIVRAISON' });
    expect(actor.getSnapshot().value).toBe('livraison');
    expect(serveur.appels).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(serveur.appels).toHaveLength(1);
    actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: ADRESSE, méthode: 'standard' });
    expect(actor.getSnapshot().value).toBe('validationLivraison');
    expect(reporter.stats().pending).toBe(4);
    serveur.libérer();
    await reporter.stop();
  });
});

describe('reporter — retries', () => {
  it('retries network errors, 5xx and 429 with exponential backoff, honouring Retry-After, with the same eventIds', async () => {
    const serveur = fauxServeur(['réseau', 503, { status: 429, retryAfter: '5' }, 200]);
    const reporter = reporterDe('checkout', serveur.fetchFn, { batchSize: 2 });
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    ajouter(actor);
    const départ = Date.now();
    await vi.advanceTimersByTimeAsync(10_000);

    expect(serveur.appels.map((a) => a.à - départ)).toEqual([0, 1_000, 3_000, 8_000]);
    expect(new Set(serveur.appels.map((a) => a.corps)).size).toBe(1);
    expect(reporter.stats()).toMatchObject({ sent: 2, retried: 3, dropped: 0, pending: 0 });
    await reporter.stop();
  });

  it.each([400, 401, 403, 413, 422])('drops a batch refused with %i without retrying, and counts it', async (status) => {
    const serveur = fauxServeur([status]);
    const reporter = reporterDe('checkout', serveur.fetchFn, { batchSize: 2 });
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    ajouter(actor);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(serveur.appels).toHaveLength(1);
    expect(reporter.stats()).toMatchObject({ sent: 0, retried: 0, dropped: 2, droppedBy: { rejected: 2 } });
    await reporter.stop();
  });

  it('drops a batch after maxRetries and goes on with the next one', async () => {
    const serveur = fauxServeur([500, 500, 500]);
    const reporter = reporterDe('checkout', serveur.fetchFn, { batchSize: 2, maxRetries: 2 });
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    ajouter(actor);
    ajouter(actor, 2);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(serveur.appels).toHaveLength(4);
    expect(reporter.stats()).toMatchObject({ sent: 1, retried: 2, droppedBy: { retriesExhausted: 2 }, pending: 0 });
    await reporter.stop();
  });

  it('caps the wait at backoff.maxMs', async () => {
    const serveur = fauxServeur([500, 500, 500, 500]);
    const reporter = reporterDe('checkout', serveur.fetchFn, {
      batchSize: 1, backoff: { initialMs: 1_000, factor: 10, maxMs: 5_000, jitter: 0 },
    });
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    const départ = Date.now();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(serveur.appels.map((a) => a.à - départ)).toEqual([0, 1_000, 6_000, 11_000, 16_000]);
    await reporter.stop();
  });
});

describe('reporter — bounded memory', () => {
  it('keeps at most maxQueue events waiting, dropping the oldest and counting them', async () => {
    const serveur = fauxServeur(['suspendue']);
    const reporter = reporterDe('checkout', serveur.fetchFn, { batchSize: 2, maxQueue: 5 });
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    ajouter(actor);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 30; i++) ajouter(actor);
    expect(reporter.stats()).toMatchObject({ pending: 2 + 5, droppedBy: { overflow: 25 } });

    serveur.libérer();
    await reporter.stop();
    const quantités = serveur.événements().map((e) => (e as CheckoutTransitionEvent).context.items[0]?.quantité ?? 0);
    expect(quantités).toEqual([0, 1, 27, 28, 29, 30, 31]);
    expect(reporter.stats()).toMatchObject({ sent: 7, dropped: 25, pending: 0 });
  });

  it('ignores events after stop() and detaches the actor', async () => {
    const serveur = fauxServeur();
    const reporter = reporterDe('checkout', serveur.fetchFn);
    const actor = checkout();
    reporter.attach(actor);
    actor.start();
    await reporter.stop();
    ajouter(actor);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(serveur.événements().map((e) => (e as CheckoutTransitionEvent).eventType)).toEqual(['xstate.init']);
    expect(() => reporter.attach(actor)).toThrow(/stopped/);
  });

  it('counts a failure to build an event instead of breaking the actor', async () => {
    const reporter = reporterDe('checkout', fauxServeur().fetchFn);
    const actor = checkout();
    reporter.attach(actor);
    vi.spyOn(globalThis.crypto, 'randomUUID').mockImplementation(() => {
      throw new Error('no crypto');
    });
    actor.start();
    ajouter(actor);
    expect(actor.getSnapshot().context.items).toHaveLength(1);
    expect(reporter.stats().droppedBy.reporterError).toBe(2);
    await reporter.stop();
  });
});

describe('reporter — kanban save errors', () => {
  const TABLEAU: Colonne[] = [
    { id: 'àFaire', titre: 'À faire', cartes: [{ id: 'c1', titre: 'Maquette' }, { id: 'c2', titre: 'API' }] },
    { id: 'fait', titre: 'Fait', limite: null, cartes: [] },
  ];

  it('reports each entry into erreurSauvegarde with its kind and the rolled-back board, nothing else', async () => {
    let appel = 0;
    const sauvegarder = fromPromise<void, EntréeSauvegarderDéplacement>(() => {
      appel += 1;
      if (appel === 1) return Promise.reject(new Error('Erreur 500'));
      return new Promise<void>(() => {});
    });
    // After the first timeout the server never moved the card; after the second it had.
    const positions: SortieLirePositionCarte[] = [null, { colonneId: 'fait', index: 0 }];
    const lirePositionCarte = fromPromise<SortieLirePositionCarte, EntréeLirePositionCarte>(async () => positions.shift()!);
    const actor = createActor(
      machineDragAndDropKanban.provide({ actors: { sauvegarderDéplacement: sauvegarder, lirePositionCarte } }),
      { input: { colonnes: TABLEAU } },
    );
    const serveur = fauxServeur();
    const reporter = reporterDe('kanban', serveur.fetchFn);
    reporter.attach(actor, { boardId: 'board-7' });
    actor.start();
    const glisser = () => {
      actor.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'àFaire', index: 0 });
      actor.send({ type: 'SURVOL', colonneId: 'fait', indexCible: 0 });
      actor.send({ type: 'DÉPOSER' });
    };
    glisser();
    await vi.advanceTimersByTimeAsync(0);
    actor.send({ type: 'EFFACER_ERREUR' });
    glisser();
    await vi.advanceTimersByTimeAsync(10_000);
    await vi.advanceTimersByTimeAsync(3_000);
    glisser();
    await vi.advanceTimersByTimeAsync(10_000);
    // Timed out but applied: the move stays and there is no error to report.
    expect(actor.getSnapshot().value).toBe('repos');
    expect(actor.getSnapshot().context.colonnes[1]!.cartes.map((c) => c.id)).toEqual(['c1']);
    await reporter.stop();

    const événements = serveur.événements() as KanbanSaveErrorEvent[];
    expect(événements.map((e) => e.kind)).toEqual(['error', 'timeout']);
    expect(événements[0]).toMatchObject({
      source: 'kanban', sessionId: 'session-42', machineId: 'dndKanban', version: KANBAN_MACHINE_VERSION,
      boardId: 'board-7', carteId: 'c1', colonneOriginale: 'àFaire', colonneCible: 'fait', indexCible: 0,
      erreur: 'Erreur 500', board: TABLEAU,
    });
    expect(événements[1]).toMatchObject({ erreur: 'Délai de sauvegarde dépassé', board: TABLEAU });
    expect(événements[0]!.eventId).toMatch(UUID);
  });

  it('needs the boardId of the board it watches', () => {
    const reporter = reporterDe('kanban', fauxServeur().fetchFn);
    const actor = createActor(machineDragAndDropKanban, { input: {} });
    expect(() => reporter.attach(actor, { boardId: '' })).toThrow(/boardId/);
  });
});
