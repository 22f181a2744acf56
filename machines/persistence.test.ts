import { describe, expect, it } from 'vitest';
import { createActor, createMachine, SimulatedClock } from 'xstate';
import { machineCheckout } from './checkout/machine';
import type {
  AdresseLivraison,
  ÉvénementCheckout,
  EntréeTraiterPaiement,
  EntréeValiderLivraison,
  SortieTraiterPaiement,
  SortieValiderLivraison,
} from './checkout/types';
import { DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS, machineDragAndDropKanban, MESSAGE_DÉLAI_DÉPASSÉ } from './kanban/machine';
import type { Colonne, EntréeLirePositionCarte, EntréeSauvegarderDéplacement, SortieLirePositionCarte } from './kanban/types';
import { IncompatibleSnapshotError, persistSnapshot, restoreActor } from './persistence';
import { settle } from './test-support/replay';
import { createScriptedActor } from './test-support/scripted-actor';

const LYON: AdresseLivraison = {
  prénom: 'Ada', nom: 'Lovelace', ligne1: '1 rue X', ligne2: '', ville: 'Lyon', codePostal: '69001', pays: 'FR',
};
const TABLEAU: Colonne[] = [
  { id: 'a', titre: 'A', cartes: [{ id: 'c1', titre: 'un' }, { id: 'c2', titre: 'deux' }] },
  { id: 'b', titre: 'B', limite: 3, cartes: [] },
];

/** Stores through JSON, as localStorage or the ingestion API would. */
const viaJson = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

function checkoutTestable() {
  const traiterPaiement = createScriptedActor<SortieTraiterPaiement, EntréeTraiterPaiement>();
  const validerLivraison = createScriptedActor<SortieValiderLivraison, EntréeValiderLivraison>();
  const machine = machineCheckout.provide({
    actors: { traiterPaiement: traiterPaiement.logic, validerLivraison: validerLivraison.logic },
  });
  return { machine, traiterPaiement, validerLivraison, clock: new SimulatedClock() };
}

const début: ÉvénementCheckout[] = [
  { type: 'AJOUTER_ARTICLE', produitId: 'canapé', quantité: 1, prix: 1200 },
  { type: 'ALLER_LIVRAISON' },
  { type: 'CONFIRMER_LIVRAISON', adresse: LYON, méthode: 'express' },
];

/** A checkout paying (traitementPaiement), its payment waiting on the scripted stand-in. */
async function enTraitementPaiement() {
  const original = checkoutTestable();
  const actor = createActor(original.machine, { clock: original.clock }).start();
  for (const e of début) actor.send(e);
  original.validerLivraison.pending().resolve({ fraisLivraison: 30, délaiEstimé: '5 jours' });
  await settle();
  actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
  return { original, actor };
}

describe('persistSnapshot / restoreActor — round trip', () => {
  it('resumes a checkout and then behaves exactly like an actor that was never stored', async () => {
    const original = checkoutTestable();
    const témoin = checkoutTestable();
    const a = createActor(original.machine, { clock: original.clock }).start();
    const t = createActor(témoin.machine, { clock: témoin.clock }).start();
    for (const e of début) {
      a.send(e);
      t.send(e);
    }
    original.validerLivraison.pending().resolve({ fraisLivraison: 30, délaiEstimé: '5 jours' });
    témoin.validerLivraison.pending().resolve({ fraisLivraison: 30, délaiEstimé: '5 jours' });
    await settle();

    const stocké = viaJson(persistSnapshot(a));
    expect(stocké).toMatchObject({ machineId: 'checkout', version: machineCheckout.version });
    a.stop();
    const reprise = checkoutTestable();
    const r = restoreActor(reprise.machine, stocké, { clock: reprise.clock });
    // Both make their own random payment key: whether there is one is what must match.
    const sansClé = <T extends { cléIdempotence: string | null }>(x: T) => ({ ...x, cléIdempotence: x.cléIdempotence !== null });
    const pareil = () => {
      expect(r.getSnapshot().value).toEqual(t.getSnapshot().value);
      expect(sansClé(r.getSnapshot().context)).toEqual(sansClé(t.getSnapshot().context));
    };
    pareil();

    r.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    t.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'pm_visa' });
    pareil();
    expect(sansClé(reprise.traiterPaiement.pending().input)).toEqual(sansClé(témoin.traiterPaiement.pending().input));
    reprise.traiterPaiement.pending().reject(Object.assign(new Error('x'), { code: 'card_declined' }));
    témoin.traiterPaiement.pending().reject(Object.assign(new Error('x'), { code: 'card_declined' }));
    await settle();
    pareil();
    expect(r.getSnapshot().value).toBe('erreurPaiement');
  });

  it('re-runs an in-flight payment once with the same input, and re-arms the animation timers', async () => {
    const { original, actor: a } = await enTraitementPaiement();
    const stocké = viaJson(persistSnapshot(a));
    a.stop();

    const reprise = checkoutTestable();
    const r = restoreActor(reprise.machine, stocké, { clock: reprise.clock });
    expect(reprise.traiterPaiement.calls).toHaveLength(1);
    // Same input, idempotency key included: the endpoint answers the resend as it answered the first.
    expect(reprise.traiterPaiement.calls[0]!.input).toEqual(original.traiterPaiement.calls[0]!.input);
    expect(reprise.traiterPaiement.calls[0]!.input.cléIdempotence).toBe(a.getSnapshot().context.cléIdempotence);
    reprise.clock.increment(500);
    expect(r.getSnapshot().value).toEqual({ traitementPaiement: { paiement: 'en_cours', animation: 'pulsation' } });
    reprise.traiterPaiement.pending().resolve({ référenceCommande: 'CF-7', confirmation: 'ok' });
    await settle();
    expect(r.getSnapshot().value).toBe('confirmation');
    expect(reprise.traiterPaiement.overlappingStarts).toBe(0);
  });

  it('resends the same payment key however many times a checkout is restored mid-payment', async () => {
    const paying = await enTraitementPaiement();
    const { original } = paying;
    let actor = paying.actor;
    const clés = [original.traiterPaiement.pending().input.cléIdempotence];
    for (let i = 0; i < 5; i++) {
      const stocké = viaJson(persistSnapshot(actor));
      actor.stop();
      const reprise = checkoutTestable();
      actor = restoreActor(reprise.machine, stocké, { clock: reprise.clock });
      clés.push(reprise.traiterPaiement.pending().input.cléIdempotence);
    }
    expect(new Set(clés).size).toBe(1);
    actor.stop();
  });

  it('still times out a kanban save restored mid-flight (after timers are not persisted by xstate), resending its key', async () => {
    const sauvegarder = createScriptedActor<void, EntréeSauvegarderDéplacement>();
    const lirePosition = createScriptedActor<SortieLirePositionCarte, EntréeLirePositionCarte>();
    const machine = machineDragAndDropKanban.provide({
      actors: { sauvegarderDéplacement: sauvegarder.logic, lirePositionCarte: lirePosition.logic },
    });
    const a = createActor(machine, { clock: new SimulatedClock(), input: { colonnes: TABLEAU } }).start();
    a.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'a', index: 0 });
    a.send({ type: 'SURVOL', colonneId: 'b', indexCible: 0 });
    a.send({ type: 'DÉPOSER' });
    const stocké = viaJson(persistSnapshot(a));
    a.stop();

    const clock = new SimulatedClock();
    const r = restoreActor(machine, stocké, { clock });
    expect(r.getSnapshot().value).toBe('sauvegarde');
    expect(sauvegarder.calls.map((c) => c.input.cléIdempotence)).toEqual([sauvegarder.calls[0]!.input.cléIdempotence, sauvegarder.calls[0]!.input.cléIdempotence]);
    clock.increment(DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS);
    expect(r.getSnapshot().value).toBe('vérificationSauvegarde');
    lirePosition.pending().resolve(null);
    await settle();
    expect(r.getSnapshot().value).toBe('erreurSauvegarde');
    expect(r.getSnapshot().context.erreurSauvegarde).toBe(MESSAGE_DÉLAI_DÉPASSÉ);
    expect(r.getSnapshot().context.colonnes).toEqual(TABLEAU);
  });

  it('cancels a re-armed timer when the restored actor leaves the state', async () => {
    const sauvegarder = createScriptedActor<void, EntréeSauvegarderDéplacement>();
    const machine = machineDragAndDropKanban.provide({ actors: { sauvegarderDéplacement: sauvegarder.logic } });
    const a = createActor(machine, { clock: new SimulatedClock(), input: { colonnes: TABLEAU } }).start();
    a.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'a', index: 0 });
    a.send({ type: 'SURVOL', colonneId: 'b', indexCible: 0 });
    a.send({ type: 'DÉPOSER' });
    const stocké = viaJson(persistSnapshot(a));
    a.stop();

    const clock = new SimulatedClock();
    const r = restoreActor(machine, stocké, { clock });
    sauvegarder.pending().resolve();
    await settle();
    expect(r.getSnapshot().value).toBe('repos');
    clock.increment(DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS);
    expect(r.getSnapshot().value).toBe('repos');
    expect(r.getSnapshot().context.colonnes[1]!.cartes.map((c) => c.id)).toEqual(['c1']);
  });
});

describe('restoreActor — refused snapshots', () => {
  const valide = () => viaJson(persistSnapshot(createActor(machineCheckout).start())) as Record<string, unknown>;
  const refus = (persisted: unknown, version?: string) => {
    try {
      restoreActor(machineCheckout, persisted, version === undefined ? {} : { version });
    } catch (error) {
      return error;
    }
    throw new Error('restoreActor accepted the snapshot');
  };

  it('accepts the untouched snapshot (control for the cases below)', () => {
    expect(restoreActor(machineCheckout, valide()).getSnapshot().value).toBe('panier');
  });

  it('refuses a snapshot of another machine', () => {
    const kanban = viaJson(persistSnapshot(createActor(machineDragAndDropKanban, { input: {} }).start()));
    const erreur = refus(kanban);
    expect(erreur).toBeInstanceOf(IncompatibleSnapshotError);
    expect(erreur).toMatchObject({ name: 'IncompatibleSnapshotError', reason: 'machine' });
    expect(String((erreur as Error).message)).toContain('"dndKanban"');
  });

  it('refuses another version, whether it comes from the machine or from the options', () => {
    expect(refus({ ...valide(), version: '0.9.0' })).toMatchObject({ reason: 'version' });
    expect(refus(valide(), '2.0.0')).toMatchObject({ reason: 'version' });
  });

  it.each([
    ['an unknown state', 'validation'],
    ['a region missing from the parallel state', { traitementPaiement: { paiement: 'en_cours' } }],
    ['an unknown region state', { traitementPaiement: { paiement: 'en_cours', animation: 'clignotant' } }],
    ['two states at once', { panier: {}, livraison: {} }],
    ['a compound state without its child', 'traitementPaiement'],
  ])('refuses %s', (_nom, value) => {
    const persisted = valide();
    const erreur = refus({ ...persisted, snapshot: { ...(persisted.snapshot as object), value } });
    expect(erreur).toBeInstanceOf(IncompatibleSnapshotError);
    expect(erreur).toMatchObject({ reason: 'state' });
  });

  it.each([
    ['null', null],
    ['a string', 'checkout'],
    ['no version', { machineId: 'checkout', snapshot: {} }],
    ['no snapshot', { machineId: 'checkout', version: machineCheckout.version }],
    ['a stopped snapshot', { machineId: 'checkout', version: machineCheckout.version, snapshot: { status: 'stopped', value: 'panier', context: {} } }],
  ])('refuses a malformed record: %s', (_nom, persisted) => {
    expect(refus(persisted)).toMatchObject({ name: 'IncompatibleSnapshotError', reason: 'malformed' });
  });

  it('will not persist a machine that has no version', () => {
    const sansVersion = createMachine({ id: 'sansVersion', initial: 'a', states: { a: {} } });
    expect(() => persistSnapshot(createActor(sansVersion).start())).toThrow(/no version/);
  });
});
