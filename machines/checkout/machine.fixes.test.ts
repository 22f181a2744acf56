import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { settle } from '../test-support/replay';
import { createScriptedActor } from '../test-support/scripted-actor';
import { estCléIdempotence } from '../idempotence';
import { CODE_ERREUR_RÉSEAU, MESSAGE_PAIEMENT_SANS_RÉPONSE } from './actors';
import {
  CHECKOUT_MACHINE_VERSION,
  DÉLAI_PAIEMENT_PAR_DÉFAUT_MS,
  DÉLAI_VALIDATION_LIVRAISON_PAR_DÉFAUT_MS,
  MAX_TENTATIVES_PAIEMENT,
  machineCheckout,
  MESSAGE_LIVRAISON_SANS_RÉPONSE,
} from './machine';
import { paiementBloqué, peutConfirmerPaiement, peutRéessayer, peutRevenirAuPaiement } from './selectors';
import type {
  AdresseLivraison,
  EntréeTraiterPaiement,
  EntréeValiderLivraison,
  SortieTraiterPaiement,
  SortieValiderLivraison,
} from './types';

const LYON: AdresseLivraison = {
  prénom: 'Ada', nom: 'Lovelace', ligne1: '1 rue de la République', ligne2: '',
  ville: 'Lyon', codePostal: '69001', pays: 'FR',
};
const NANTES: AdresseLivraison = { ...LYON, ligne1: '3 quai de la Fosse', ville: 'Nantes', codePostal: '44000' };
const erreurAvecCode = (code: string) => Object.assign(new Error(code), { code });

function démarrer(delays?: { délaiPaiement?: number; délaiValidationLivraison?: number }) {
  const clock = new SimulatedClock();
  const traiterPaiement = createScriptedActor<SortieTraiterPaiement, EntréeTraiterPaiement>();
  const validerLivraison = createScriptedActor<SortieValiderLivraison, EntréeValiderLivraison>();
  const actor = createActor(
    machineCheckout.provide({
      actors: { traiterPaiement: traiterPaiement.logic, validerLivraison: validerLivraison.logic },
      ...(delays ? { delays } : {}),
    }),
    { clock },
  ).start();
  return { actor, clock, traiterPaiement, validerLivraison };
}

/** Fills the cart and confirms delivery, leaving the checkout in `paiement`. */
async function jusquAuPaiement(t: ReturnType<typeof démarrer>, adresse = LYON) {
  t.actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'canapé', quantité: 1, prix: 1200 });
  t.actor.send({ type: 'ALLER_LIVRAISON' });
  t.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse, méthode: 'express' });
  t.validerLivraison.pending().resolve({ fraisLivraison: 30, délaiEstimé: '5 jours' });
  await settle();
  expect(t.actor.getSnapshot().value).toBe('paiement');
}

async function échouerPaiement(t: ReturnType<typeof démarrer>, code: string) {
  t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
  t.traiterPaiement.pending().reject(erreurAvecCode(code));
  await settle();
  expect(t.actor.getSnapshot().value).toBe('erreurPaiement');
}

describe('machineCheckout — cart (addition: AJOUTER_ARTICLE)', () => {
  it('refuses ALLER_LIVRAISON on an empty cart (panierNonVide)', () => {
    const { actor } = démarrer();
    actor.send({ type: 'ALLER_LIVRAISON' });
    expect(actor.getSnapshot().value).toBe('panier');
  });

  it('adds articles, merging quantities of the same product, and refuses invalid ones', () => {
    const { actor } = démarrer();
    actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'chaise', quantité: 2, prix: 90 });
    actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'chaise', quantité: 1, prix: 90 });
    actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'table', quantité: 0, prix: 400 });
    actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'table', quantité: 1, prix: Number.NaN });
    expect(actor.getSnapshot().context.items).toEqual([{ produitId: 'chaise', quantité: 3, prix: 90 }]);
    actor.send({ type: 'ALLER_LIVRAISON' });
    expect(actor.getSnapshot().value).toBe('livraison');
  });
});

describe('machineCheckout — double submission (seed case 1, bug 1)', () => {
  it('starts one payment however many times CONFIRMER_PAIEMENT is sent', async () => {
    const t = démarrer();
    await jusquAuPaiement(t);
    for (let i = 0; i < 5; i++) t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: `pm_${i}` });
    await settle();
    expect(t.traiterPaiement.calls).toHaveLength(1);
    expect(t.traiterPaiement.calls[0]!.input.méthodeId).toBe('pm_0');
    expect(t.actor.getSnapshot().hasTag('bloquant')).toBe(true);
    expect(peutConfirmerPaiement(t.actor.getSnapshot())).toBe(false);
  });

  it('runs the payment and the animation side by side, tagged chargement + bloquant', async () => {
    const t = démarrer();
    await jusquAuPaiement(t);
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    const snap = () => t.actor.getSnapshot();
    expect(snap().value).toEqual({ traitementPaiement: { paiement: 'en_cours', animation: 'tournant' } });
    expect(snap().hasTag('chargement') && snap().hasTag('bloquant')).toBe(true);
    t.clock.increment(500);
    expect(snap().value).toEqual({ traitementPaiement: { paiement: 'en_cours', animation: 'pulsation' } });
    t.clock.increment(300);
    expect(snap().value).toEqual({ traitementPaiement: { paiement: 'en_cours', animation: 'tournant' } });
    t.traiterPaiement.pending().resolve({ référenceCommande: 'CF-2024-0042', confirmation: 'ok' });
    await settle();
    expect(snap().value).toBe('confirmation');
    expect(snap().context.référenceCommande).toBe('CF-2024-0042');
    expect(snap().hasTag('terminal') && snap().hasTag('succès')).toBe(true);
  });
});

describe('machineCheckout — one copy of address and method (seed case 1, bug 3)', () => {
  it('keeps the address when going back to livraison, and charges the re-confirmed one', async () => {
    const t = démarrer();
    await jusquAuPaiement(t, LYON);
    t.actor.send({ type: 'RETOUR_LIVRAISON' });
    expect(t.actor.getSnapshot().value).toBe('livraison');
    expect(t.actor.getSnapshot().context.adresseLivraison).toEqual(LYON);
    expect(t.actor.getSnapshot().context.méthodeExpédition).toBe('express');

    t.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: NANTES, méthode: 'premium' });
    expect(t.validerLivraison.pending().input).toEqual({ adresse: NANTES, méthode: 'premium' });
    t.validerLivraison.pending().resolve({ fraisLivraison: 60, délaiEstimé: '2 jours' });
    await settle();
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    expect(t.traiterPaiement.pending().input).toMatchObject({ adresse: NANTES, méthode: 'premium' });
  });

  it('shows a delivery validation error, then clears it on the next confirmation', async () => {
    const t = démarrer();
    t.actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'lampe', quantité: 1, prix: 80 });
    t.actor.send({ type: 'ALLER_LIVRAISON' });
    t.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: LYON, méthode: 'standard' });
    t.validerLivraison.pending().reject(new Error('Code postal inconnu'));
    await settle();
    expect(t.actor.getSnapshot().value).toBe('livraison');
    expect(t.actor.getSnapshot().context.erreurLivraison).toBe('Code postal inconnu');
    t.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: LYON, méthode: 'standard' });
    expect(t.actor.getSnapshot().context.erreurLivraison).toBeNull();
  });
});

describe('machineCheckout — retries', () => {
  it('retries a recoverable error while attempts remain, then stays in erreurPaiement', async () => {
    const t = démarrer();
    await jusquAuPaiement(t);
    for (let tentative = 1; tentative <= 3; tentative++) {
      await échouerPaiement(t, 'card_declined');
      expect(t.actor.getSnapshot().context.tentativesPaiement).toBe(tentative);
      expect(t.actor.getSnapshot().context.erreurPaiement).toBe('card_declined');
      if (tentative < 3) {
        expect(peutRéessayer(t.actor.getSnapshot())).toBe(true);
        t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
        expect(t.actor.getSnapshot().value).toBe('paiement');
        expect(t.actor.getSnapshot().context.erreurPaiement).toBeNull();
      }
    }
    expect(paiementBloqué(t.actor.getSnapshot())).toBe(true);
    t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    t.actor.send({ type: 'RETOUR_PAIEMENT' });
    expect(t.actor.getSnapshot().value).toBe('erreurPaiement');
    expect(t.traiterPaiement.calls).toHaveLength(3);
  });

  it.each(['card_declined_permanently', 'fraud_blocked'])(
    'never retries %s, but lets the shopper pick another method while attempts remain',
    async (code) => {
      const t = démarrer();
      await jusquAuPaiement(t);
      await échouerPaiement(t, code);
      expect(peutRéessayer(t.actor.getSnapshot())).toBe(false);
      t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
      expect(t.actor.getSnapshot().value).toBe('erreurPaiement');
      expect(peutRevenirAuPaiement(t.actor.getSnapshot())).toBe(true);
      t.actor.send({ type: 'RETOUR_PAIEMENT' });
      expect(t.actor.getSnapshot().value).toBe('paiement');
    },
  );

  it('records an unknown error code as erreur_inconnue, and a network failure in erreurRéseau', async () => {
    const t = démarrer();
    await jusquAuPaiement(t);
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    t.traiterPaiement.pending().reject(new Error('boom'));
    await settle();
    expect(t.actor.getSnapshot().context.erreurPaiement).toBe('erreur_inconnue');
    t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    await échouerPaiement(t, CODE_ERREUR_RÉSEAU);
    expect(t.actor.getSnapshot().context.erreurRéseau).toBe(CODE_ERREUR_RÉSEAU);
    expect(peutRéessayer(t.actor.getSnapshot())).toBe(true);
  });

  it('starts a new order from a clean slate (items, attempts, reference, payment method)', async () => {
    const t = démarrer();
    await jusquAuPaiement(t);
    await échouerPaiement(t, 'card_declined');
    t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    t.traiterPaiement.pending().resolve({ référenceCommande: 'CF-1', confirmation: 'ok' });
    await settle();
    t.actor.send({ type: 'NOUVELLE_COMMANDE' });
    expect(t.actor.getSnapshot().value).toBe('panier');
    expect(t.actor.getSnapshot().context).toMatchObject({
      items: [], tentativesPaiement: 0, référenceCommande: null, méthodeId: null, erreurPaiement: null,
    });
  });
});

describe('machineCheckout — no endless spinner (délaiValidationLivraison, délaiPaiement)', () => {
  it('sends the shopper back to livraison when the delivery check never answers, then clears the error', () => {
    const t = démarrer();
    t.actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'lampe', quantité: 1, prix: 80 });
    t.actor.send({ type: 'ALLER_LIVRAISON' });
    t.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: LYON, méthode: 'standard' });
    t.clock.increment(DÉLAI_VALIDATION_LIVRAISON_PAR_DÉFAUT_MS - 1);
    expect(t.actor.getSnapshot().hasTag('chargement')).toBe(true);
    t.clock.increment(1);
    expect(t.actor.getSnapshot().value).toBe('livraison');
    expect(t.actor.getSnapshot().context).toMatchObject({ erreurLivraison: CODE_ERREUR_RÉSEAU, erreurRéseau: MESSAGE_LIVRAISON_SANS_RÉPONSE });
    expect(t.validerLivraison.calls[0]!.status).toBe('aborted');
    t.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: LYON, méthode: 'standard' });
    expect(t.actor.getSnapshot().context).toMatchObject({ erreurLivraison: null, erreurRéseau: null });
  });

  it('turns a payment with no answer into erreur_réseau: one attempt used, request aborted, a late answer ignored', async () => {
    const t = démarrer();
    await jusquAuPaiement(t);
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    const appel = t.traiterPaiement.pending();
    t.clock.increment(DÉLAI_PAIEMENT_PAR_DÉFAUT_MS - 1);
    expect(t.actor.getSnapshot().hasTag('bloquant')).toBe(true);
    t.clock.increment(1);
    const snap = t.actor.getSnapshot();
    expect(snap.value).toBe('erreurPaiement');
    expect(snap.context).toMatchObject({ tentativesPaiement: 1, erreurPaiement: CODE_ERREUR_RÉSEAU, erreurRéseau: MESSAGE_PAIEMENT_SANS_RÉPONSE });
    expect(appel.status).toBe('aborted');
    expect(peutRéessayer(snap)).toBe(true);
    appel.resolve({ référenceCommande: 'CF-trop-tard', confirmation: 'ok' });
    await settle();
    expect(t.actor.getSnapshot().value).toBe('erreurPaiement');
  });

  it('keeps the 3-attempt limit when every attempt times out', async () => {
    const t = démarrer({ délaiPaiement: 1_000 });
    await jusquAuPaiement(t);
    for (let tentative = 1; tentative <= MAX_TENTATIVES_PAIEMENT; tentative++) {
      t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
      t.clock.increment(1_000);
      expect(t.actor.getSnapshot().context.tentativesPaiement).toBe(tentative);
      t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    }
    expect(paiementBloqué(t.actor.getSnapshot())).toBe(true);
    expect(t.traiterPaiement.calls).toHaveLength(MAX_TENTATIVES_PAIEMENT);
  });

  it('takes both delays from machine.provide({ delays })', async () => {
    const t = démarrer({ délaiValidationLivraison: 200, délaiPaiement: 300 });
    t.actor.send({ type: 'AJOUTER_ARTICLE', produitId: 'lampe', quantité: 1, prix: 80 });
    t.actor.send({ type: 'ALLER_LIVRAISON' });
    t.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: LYON, méthode: 'standard' });
    t.clock.increment(200);
    expect(t.actor.getSnapshot().value).toBe('livraison');
    t.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: LYON, méthode: 'standard' });
    t.validerLivraison.pending().resolve({ fraisLivraison: 5, délaiEstimé: '3 jours' });
    await settle();
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    t.clock.increment(300);
    expect(t.actor.getSnapshot().value).toBe('erreurPaiement');
  });
});

describe('machineCheckout — idempotency key of a payment attempt', () => {
  const cléDe = (t: ReturnType<typeof démarrer>, i: number) => t.traiterPaiement.calls[i]!.input.cléIdempotence;

  it('sends a well-formed key, kept in the context (so in the snapshot) while the attempt runs', async () => {
    const t = démarrer();
    await jusquAuPaiement(t);
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    expect(estCléIdempotence(cléDe(t, 0), 'paiement')).toBe(true);
    expect(t.actor.getSnapshot().context.cléIdempotence).toBe(cléDe(t, 0));
    t.traiterPaiement.pending().resolve({ référenceCommande: 'CF-1', confirmation: 'ok' });
    await settle();
    expect(t.actor.getSnapshot().context.cléIdempotence).toBeNull();
  });

  it('resends the same key after no answer (erreur_réseau or timeout), a new one after an answer', async () => {
    const t = démarrer();
    await jusquAuPaiement(t);
    await échouerPaiement(t, 'processing_error');
    expect(t.actor.getSnapshot().context.cléIdempotence).toBeNull();
    t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    await échouerPaiement(t, CODE_ERREUR_RÉSEAU);
    expect(t.actor.getSnapshot().context.cléIdempotence).toBe(cléDe(t, 1));
    t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    t.clock.increment(DÉLAI_PAIEMENT_PAR_DÉFAUT_MS);
    expect(cléDe(t, 1)).not.toBe(cléDe(t, 0));
    expect(cléDe(t, 2)).toBe(cléDe(t, 1));
    expect(t.actor.getSnapshot().context.cléIdempotence).toBe(cléDe(t, 2));
  });

  it('starts a new attempt (new key) for another method, another address, or RETOUR_PAIEMENT', async () => {
    const t = démarrer();
    await jusquAuPaiement(t, LYON);
    await échouerPaiement(t, CODE_ERREUR_RÉSEAU);
    t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    await échouerPaiement(t, CODE_ERREUR_RÉSEAU); // same request again: same key (call 1)
    t.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    t.actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_mastercard' }); // call 2
    t.traiterPaiement.pending().reject(erreurAvecCode(CODE_ERREUR_RÉSEAU));
    await settle();
    expect(cléDe(t, 1)).toBe(cléDe(t, 0));
    expect(cléDe(t, 2)).not.toBe(cléDe(t, 1));

    const u = démarrer();
    await jusquAuPaiement(u, LYON);
    await échouerPaiement(u, CODE_ERREUR_RÉSEAU);
    u.actor.send({ type: 'RETOUR_PAIEMENT' });
    await échouerPaiement(u, CODE_ERREUR_RÉSEAU);
    expect(cléDe(u, 1)).not.toBe(cléDe(u, 0));
    u.actor.send({ type: 'RÉESSAYER_PAIEMENT' });
    u.actor.send({ type: 'RETOUR_LIVRAISON' });
    u.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: LYON, méthode: 'express' }); // same delivery: kept
    u.validerLivraison.pending().resolve({ fraisLivraison: 30, délaiEstimé: '5 jours' });
    await settle();
    expect(u.actor.getSnapshot().context.cléIdempotence).toBe(cléDe(u, 1));
    u.actor.send({ type: 'RETOUR_LIVRAISON' });
    u.actor.send({ type: 'CONFIRMER_LIVRAISON', adresse: NANTES, méthode: 'express' }); // another address: dropped
    expect(u.actor.getSnapshot().context.cléIdempotence).toBeNull();
  });
});

describe('machineCheckout — identity', () => {
  it('carries its id and version for persistence and reporting', () => {
    expect(machineCheckout.id).toBe('checkout');
    expect(machineCheckout.version).toBe(CHECKOUT_MACHINE_VERSION);
  });
});
