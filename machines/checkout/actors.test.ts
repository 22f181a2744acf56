import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { EN_TÊTE_IDEMPOTENCE, nouvelleCléIdempotence } from '../idempotence';
import { CODE_ERREUR_RÉSEAU, createCheckoutActors } from './actors';
import type { AdresseLivraison, EntréeTraiterPaiement } from './types';

const adresse: AdresseLivraison = {
  prénom: 'Ada', nom: 'Lovelace', ligne1: '1 rue X', ligne2: '', ville: 'Lyon', codePostal: '69001', pays: 'FR',
};
const corpsPaiement = { méthodeId: 'pm_1', items: [{ produitId: 'p', quantité: 1, prix: 10 }], adresse, méthode: 'express' as const };
const entréePaiement: EntréeTraiterPaiement = { cléIdempotence: nouvelleCléIdempotence('paiement'), ...corpsPaiement };

function fauxFetch(répondre: (url: string, init: RequestInit | undefined) => Response | Promise<Response>) {
  const requêtes: { url: string; init: RequestInit | undefined }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    requêtes.push({ url: String(input), init });
    return répondre(String(input), init);
  };
  return { fetchFn, requêtes };
}

describe('createCheckoutActors (default I/O)', () => {
  it('posts the input as JSON to the configured endpoints', async () => {
    const { fetchFn, requêtes } = fauxFetch((url) =>
      url.endsWith('/valider')
        ? Response.json({ fraisLivraison: 10, délaiEstimé: '2 jours' })
        : Response.json({ référenceCommande: 'CF-9', confirmation: 'ok' }),
    );
    const acteurs = createCheckoutActors({
      fetch: fetchFn,
      endpoints: { validerLivraison: 'https://shop.test/l/valider', traiterPaiement: 'https://shop.test/p' },
    });
    await expect(toPromise(createActor(acteurs.validerLivraison, { input: { adresse, méthode: 'express' } }).start()))
      .resolves.toEqual({ fraisLivraison: 10, délaiEstimé: '2 jours' });
    await expect(toPromise(createActor(acteurs.traiterPaiement, { input: entréePaiement }).start()))
      .resolves.toEqual({ référenceCommande: 'CF-9', confirmation: 'ok' });
    expect(requêtes.map((r) => [r.url, r.init?.method])).toEqual([
      ['https://shop.test/l/valider', 'POST'],
      ['https://shop.test/p', 'POST'],
    ]);
    // The key travels in its header only; the body is the seed's.
    expect(JSON.parse(String(requêtes[1]!.init?.body))).toEqual(corpsPaiement);
    expect(new Headers(requêtes[1]!.init?.headers).get(EN_TÊTE_IDEMPOTENCE)).toBe(entréePaiement.cléIdempotence);
  });

  it('turns an error response into an error carrying the server code', async () => {
    const { fetchFn } = fauxFetch(() => Response.json({ code: 'fraud_blocked', message: 'Bloqué' }, { status: 402 }));
    const acteur = createActor(createCheckoutActors({ fetch: fetchFn }).traiterPaiement, { input: entréePaiement }).start();
    await expect(toPromise(acteur)).rejects.toMatchObject({ code: 'fraud_blocked', message: 'Bloqué' });
  });

  it('falls back to http_<status> when the error body is not JSON', async () => {
    const { fetchFn } = fauxFetch(() => new Response('Bad gateway', { status: 502 }));
    const acteur = createActor(createCheckoutActors({ fetch: fetchFn }).traiterPaiement, { input: entréePaiement }).start();
    await expect(toPromise(acteur)).rejects.toMatchObject({ code: 'http_502', message: 'Bad gateway' });
  });

  it('marks a request that never got an answer as erreur_réseau', async () => {
    const { fetchFn } = fauxFetch(() => Promise.reject(new TypeError('fetch failed')));
    const acteur = createActor(createCheckoutActors({ fetch: fetchFn }).traiterPaiement, { input: entréePaiement }).start();
    await expect(toPromise(acteur)).rejects.toMatchObject({ code: CODE_ERREUR_RÉSEAU });
  });
});
