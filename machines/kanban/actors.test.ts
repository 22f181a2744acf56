import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { EN_TÊTE_IDEMPOTENCE, nouvelleCléIdempotence } from '../idempotence';
import { createKanbanActors } from './actors';

function fauxFetch(répondre: () => Response) {
  const requêtes: { url: string; init: RequestInit | undefined }[] = [];
  const fetchFn: typeof fetch = async (url, init) => {
    requêtes.push({ url: String(url), init });
    return répondre();
  };
  return { fetchFn, requêtes };
}

describe('createKanbanActors (default I/O)', () => {
  const input = { cléIdempotence: nouvelleCléIdempotence('deplacement'), carteId: 'carte 7', colonneId: 'fait', nouvelIndex: 2 };

  it('PATCHes the seed endpoint with the new column and index, the key in its header', async () => {
    const { fetchFn, requêtes } = fauxFetch(() => new Response(null, { status: 204 }));
    await toPromise(createActor(createKanbanActors({ fetch: fetchFn }).sauvegarderDéplacement, { input }).start());
    expect(requêtes).toHaveLength(1);
    expect(requêtes[0]!.url).toBe('/api/cartes/carte%207/déplacer');
    expect(requêtes[0]!.init?.method).toBe('PATCH');
    expect(JSON.parse(String(requêtes[0]!.init?.body))).toEqual({ colonneId: 'fait', index: 2 });
    expect(new Headers(requêtes[0]!.init?.headers).get(EN_TÊTE_IDEMPOTENCE)).toBe(input.cléIdempotence);
    expect(requêtes[0]!.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('uses a configured URL and fails on a non-2xx answer', async () => {
    const { fetchFn, requêtes } = fauxFetch(() => new Response('nope', { status: 500 }));
    const acteurs = createKanbanActors({ fetch: fetchFn, urlDéplacement: (id) => `https://board.test/cards/${id}/move` });
    await expect(toPromise(createActor(acteurs.sauvegarderDéplacement, { input }).start())).rejects.toThrow('Erreur 500');
    expect(requêtes.map((r) => r.url)).toEqual(['https://board.test/cards/carte 7/move']);
  });

  it('reads where the server has a card: a position, or null when it has none', async () => {
    const réponses = [{ position: { colonneId: 'fait', index: 1 } }, { position: null }];
    const { fetchFn, requêtes } = fauxFetch(() => Response.json(réponses.shift()));
    const acteurs = createKanbanActors({ fetch: fetchFn });
    const lire = () => toPromise(createActor(acteurs.lirePositionCarte, { input: { carteId: 'carte 7' } }).start());
    await expect(lire()).resolves.toEqual({ colonneId: 'fait', index: 1 });
    await expect(lire()).resolves.toBeNull();
    expect(requêtes.map((r) => [r.url, r.init?.method])).toEqual([
      ['/api/cartes/carte%207/position', 'GET'],
      ['/api/cartes/carte%207/position', 'GET'],
    ]);
  });

  it('fails on an unreadable position or a non-2xx answer', async () => {
    const réponses = [Response.json({ position: { colonneId: 'fait', index: -1 } }), Response.json({}), new Response('', { status: 503 })];
    const { fetchFn } = fauxFetch(() => réponses.shift()!);
    const acteurs = createKanbanActors({ fetch: fetchFn, urlPosition: (id) => `https://board.test/cards/${id}` });
    const lire = () => toPromise(createActor(acteurs.lirePositionCarte, { input: { carteId: 'c' } }).start());
    await expect(lire()).rejects.toThrow('Réponse de position illisible');
    await expect(lire()).rejects.toThrow('Réponse de position illisible');
    await expect(lire()).rejects.toThrow('Erreur 503');
  });
});
