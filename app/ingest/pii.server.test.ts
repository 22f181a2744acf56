// The fast reader and the zod schema of checkout events must accept the same events and
// store the same thing: ingestion uses the first and falls back to the second.
import { describe, expect, it } from 'vitest';
import { checkoutEventSchema, fastCheckoutEvent } from './schema.server';

const base = {
  eventId: 'e-1', sessionId: 's-1', at: '2026-11-24T06:00:00.000Z', eventType: 'CONFIRMER_PAIEMENT',
  state: { traitementPaiement: { paiement: 'en_cours', animation: 'tournant' } },
  context: { items: [{ produitId: 'table', quantité: 2, prix: 650.5 }], tentativesPaiement: 1 },
};
const fullSeedContext = {
  items: [{ produitId: 'canape', quantité: 1, prix: 1290, couleur: 'vert' }],
  adresseLivraison: { prénom: 'Léa', nom: 'Dubois', ligne1: '3 place Bellecour', ligne2: '', ville: ' Lyon ', codePostal: '69002', pays: 'FR' },
  méthodeExpédition: 'premium', méthodeId: 'pm_secret', tentativesPaiement: 2, référenceCommande: 'CMD-1',
  erreurLivraison: 'Adresse 3 place Bellecour refusée', erreurPaiement: 'card_declined', erreurRéseau: null, email: 'lea@example.fr',
};

const valid: Record<string, unknown>[] = [
  base,
  { ...base, source: 'checkout', machineId: 'checkout', version: '1.0.0', tags: ['x'] },
  { ...base, state: 'panier', context: {} },
  { ...base, context: fullSeedContext },
  { ...base, context: { ...fullSeedContext, adresseLivraison: { ville: 'Paris', pays: 'FR', codePostalPréfixe: '75' }, méthodeId: undefined, méthodePaiementChoisie: false } },
  { ...base, at: '2026-11-24T07:00:00+02:00', context: { ...base.context, adresseLivraison: null, méthodeExpédition: null, référenceCommande: null } },
];
const invalid: Record<string, unknown>[] = [
  { ...base, eventId: 'has space' },
  { ...base, sessionId: undefined },
  { ...base, at: 'yesterday' },
  { ...base, state: 'remboursé' },
  { ...base, state: { traitementPaiement: { paiement: 'en_cours' } } },
  { ...base, state: undefined },
  { ...base, machineId: 'dndKanban' },
  { ...base, eventType: '' },
  { ...base, context: { items: [{ produitId: 'a', quantité: 1.5, prix: 1 }] } },
  { ...base, context: { items: [{ produitId: 'a', quantité: 1, prix: -1 }] } },
  { ...base, context: { méthodeExpédition: 'drone' } },
  { ...base, context: { tentativesPaiement: '2' } },
  { ...base, context: { adresseLivraison: { ville: 42 } } },
  { ...base, context: { référenceCommande: 'x'.repeat(65) } },
  { ...base, tags: 'chargement' },
  { ...base, context: undefined },
];

describe('fast checkout reader', () => {
  it.each(valid.map((e, i) => [i, e]))('agrees with zod on valid event %i', (_i, event) => {
    const zod = checkoutEventSchema.safeParse(event);
    expect(zod.success).toBe(true);
    expect(fastCheckoutEvent(event)).toEqual(zod.success ? zod.data : null);
  });

  it.each(invalid.map((e, i) => [i, e]))('refuses invalid event %i like zod does', (_i, event) => {
    expect(checkoutEventSchema.safeParse(event).success).toBe(false);
    expect(fastCheckoutEvent(event)).toBeNull();
  });

  it('keeps nothing personal from a full seed context', () => {
    const row = fastCheckoutEvent({ ...base, context: fullSeedContext });
    const stored = JSON.stringify(row);
    for (const secret of ['Léa', 'Dubois', 'Bellecour', '69002', 'pm_secret', 'example.fr', 'vert']) expect(stored).not.toContain(secret);
    expect(row?.context.adresseLivraison).toEqual({ ville: 'Lyon', pays: 'FR', codePostalPréfixe: '69' });
    expect(row?.context.erreurLivraison).toBe('[masqué]');
    expect(row?.cartCents).toBe(129_000);
  });
});
