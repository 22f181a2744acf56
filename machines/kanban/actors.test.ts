import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createKanbanActors } from './actors';

describe('createKanbanActors (default I/O)', () => {
  const input = { carteId: 'carte 7', colonneId: 'fait', nouvelIndex: 2 };

  it('PATCHes the seed endpoint with the new column and index', async () => {
    const requêtes: { url: string; init: RequestInit | undefined }[] = [];
    const fetchFn: typeof fetch = async (url, init) => {
      requêtes.push({ url: String(url), init });
      return new Response(null, { status: 204 });
    };
    await toPromise(createActor(createKanbanActors({ fetch: fetchFn }).sauvegarderDéplacement, { input }).start());
    expect(requêtes).toHaveLength(1);
    expect(requêtes[0]!.url).toBe('/api/cartes/carte%207/déplacer');
    expect(requêtes[0]!.init?.method).toBe('PATCH');
    expect(JSON.parse(String(requêtes[0]!.init?.body))).toEqual({ colonneId: 'fait', index: 2 });
    expect(requêtes[0]!.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('uses a configured URL and fails on a non-2xx answer', async () => {
    const urls: string[] = [];
    const fetchFn: typeof fetch = async (url) => {
      urls.push(String(url));
      return new Response('nope', { status: 500 });
    };
    const acteurs = createKanbanActors({ fetch: fetchFn, urlDéplacement: (id) => `https://board.test/cards/${id}/move` });
    await expect(toPromise(createActor(acteurs.sauvegarderDéplacement, { input }).start())).rejects.toThrow('Erreur 500');
    expect(urls).toEqual(['https://board.test/cards/carte 7/move']);
  });
});
