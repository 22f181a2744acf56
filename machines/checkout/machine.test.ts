import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, type AnyEventObject, type EventFromLogic, type SnapshotFrom } from 'xstate';
import { TestModel, type TestPath } from 'xstate/graph';
import {
  activeStateIds,
  allStateIds,
  allTransitionKeys,
  formatCoverage,
  takenTransitionKeys,
} from '../test-support/coverage';
import { estCléIdempotence } from '../idempotence';
import { persistSnapshot, restoreActor } from '../persistence';
import { playEvent, settle } from '../test-support/replay';
import { createScriptedActor } from '../test-support/scripted-actor';
import { CODE_ERREUR_RÉSEAU } from './actors';
import { DÉLAI_PAIEMENT_PAR_DÉFAUT_MS, DÉLAI_VALIDATION_LIVRAISON_PAR_DÉFAUT_MS, MAX_TENTATIVES_PAIEMENT, machineCheckout } from './machine';
import { peutConfirmerPaiement } from './selectors';
import type {
  AdresseLivraison,
  EntréeTraiterPaiement,
  EntréeValiderLivraison,
  SortieTraiterPaiement,
  SortieValiderLivraison,
} from './types';

type Snap = SnapshotFrom<typeof machineCheckout>;
type Ev = EventFromLogic<typeof machineCheckout>;

const ADRESSE_A: AdresseLivraison = {
  prénom: 'Ada', nom: 'Lovelace', ligne1: '1 rue de la République', ligne2: '',
  ville: 'Lyon', codePostal: '69001', pays: 'FR',
};
const ADRESSE_B: AdresseLivraison = {
  prénom: 'Ada', nom: 'Lovelace', ligne1: '8 cours de l’Intendance', ligne2: 'Bât. B',
  ville: 'Bordeaux', codePostal: '33000', pays: 'FR',
};

const erreurAvecCode = (code: string) => Object.assign(new Error(code), { code });

/** UI events of the machine, read from the machine (internal xstate.* events excluded). */
const USER_EVENT_TYPES = machineCheckout.root.events.filter((type) => !type.startsWith('xstate.'));

/** The concrete events the model tries for an event type: valid and invalid payloads, every error kind. */
function concreteEvents(type: string): AnyEventObject[] {
  switch (type) {
    case 'AJOUTER_ARTICLE':
      return [
        { type, produitId: 'fauteuil', quantité: 1, prix: 650 },
        { type, produitId: 'fauteuil', quantité: 0, prix: 650 },
      ];
    case 'CONFIRMER_LIVRAISON':
      return [
        { type, adresse: ADRESSE_A, méthode: 'express' },
        { type, adresse: ADRESSE_B, méthode: 'standard' },
      ];
    case 'CONFIRMER_PAIEMENT':
      return [{ type, méthodeId: 'pm_visa' }];
    case 'xstate.done.actor.validerLivraison':
      return [{ type, output: { fraisLivraison: 25, délaiEstimé: '3 jours' } satisfies SortieValiderLivraison }];
    case 'xstate.error.actor.validerLivraison':
      return [{ type, error: new Error('Code postal inconnu') }];
    case 'xstate.done.actor.traiterPaiement':
      return [{ type, output: { référenceCommande: 'CMD-1', confirmation: 'ok' } satisfies SortieTraiterPaiement }];
    case 'xstate.error.actor.traiterPaiement':
      return ['card_declined', 'card_declined_permanently', 'fraud_blocked', CODE_ERREUR_RÉSEAU].map((code) => ({
        type,
        error: erreurAvecCode(code),
      }));
    default:
      return [{ type }];
  }
}

function eventsFor(snapshot: Snap): Ev[] {
  const types = new Set(
    activeStateIds(machineCheckout, snapshot.value).flatMap((id) => machineCheckout.getStateNodeById(id).ownEvents),
  );
  // While paying, the shopper may click anything (double click included): the model tries it all.
  if (snapshot.hasTag('bloquant')) for (const type of USER_EVENT_TYPES) types.add(type);
  // The traversal also feeds internal events (actor results, timers), which the machine's event type does not list.
  return [...types].flatMap(concreteEvents) as Ev[];
}

/**
 * What the checkout's behaviour depends on. Cart quantities are left out and attempts capped just above
 * the limit so the state space stays finite even if the retry limit breaks (the properties then catch it).
 */
function abstraction(s: Snap): string {
  const c = s.context;
  return JSON.stringify([
    s.value, c.items.length, c.adresseLivraison?.ville ?? null, c.méthodeExpédition, c.méthodeId,
    Math.min(c.tentativesPaiement, MAX_TENTATIVES_PAIEMENT + 1), c.référenceCommande, c.erreurLivraison, c.erreurPaiement, c.erreurRéseau !== null,
    // The key's value is random: whether an attempt is kept for a resend is what behaviour depends on.
    c.cléIdempotence !== null,
  ]);
}

// One vertex per (state, incoming transition) as createTestModel does, so shortest paths take every transition.
function serializeState(s: Snap, event: Ev | undefined, previous?: Snap): string {
  if (!event) return abstraction(s);
  return `${abstraction(s)} via ${JSON.stringify(event)} from ${previous ? abstraction(previous) : '∅'}`;
}

// createTestModel() refuses machines with invoke/after (validateMachine); TestModel is the class it builds.
const model = new TestModel(machineCheckout, { events: eventsFor, serializeState, limit: 20_000 });
const paths = model.getShortestPaths();

function label(event: AnyEventObject): string {
  if (event.type.startsWith('xstate.done.actor.')) return `${event.type.slice(18)}✓`;
  if (event.type.startsWith('xstate.error.actor.')) {
    const code = (event as { error?: { code?: string } }).error?.code;
    return `${event.type.slice(19)}✗${code ? `(${code})` : ''}`;
  }
  if (event.type.startsWith('xstate.after.')) return `⏱${event.type.split('.')[2]}`;
  const e = event as Ev;
  if (e.type === 'CONFIRMER_LIVRAISON') return `${e.type}(${e.adresse.ville})`;
  if (e.type === 'AJOUTER_ARTICLE') return `${e.type}(${e.quantité})`;
  return event.type;
}

const pathName = (path: TestPath<Snap, Ev>, i: number) =>
  `#${i} ${path.steps.slice(1).map((s) => label(s.event)).join(' → ') || '(initial)'}`;

interface PathResult {
  states: Set<string>;
  transitions: Set<string>;
}

/**
 * A restore at this step, tried on a copy (the path goes on with the original): it must resend the
 * payment in flight with the same key, and still give up on a request that never answers.
 */
async function vérifierReprise(
  actor: ReturnType<typeof createActor<typeof machineCheckout>>,
  enCours: { traiterPaiement: EntréeTraiterPaiement | null; validerLivraison: EntréeValiderLivraison | null },
) {
  const clock = new SimulatedClock();
  const traiterPaiement = createScriptedActor<SortieTraiterPaiement, EntréeTraiterPaiement>();
  const validerLivraison = createScriptedActor<SortieValiderLivraison, EntréeValiderLivraison>();
  const sut = machineCheckout.provide({ actors: { traiterPaiement: traiterPaiement.logic, validerLivraison: validerLivraison.logic } });
  const copie = restoreActor(sut, JSON.parse(JSON.stringify(persistSnapshot(actor))), { clock });
  if (enCours.traiterPaiement) expect(traiterPaiement.pending().input).toEqual(enCours.traiterPaiement);
  if (enCours.validerLivraison) expect(validerLivraison.pending().input).toEqual(enCours.validerLivraison);
  // No endless spinner, even after a restore (xstate does not persist timers: restoreActor re-arms them).
  clock.increment(Math.max(DÉLAI_PAIEMENT_PAR_DÉFAUT_MS, DÉLAI_VALIDATION_LIVRAISON_PAR_DÉFAUT_MS));
  await settle();
  const après = copie.getSnapshot();
  expect(après.hasTag('chargement')).toBe(false);
  expect(après.context.erreurRéseau).not.toBeNull();
  if (enCours.traiterPaiement) {
    expect(après.value).toBe('erreurPaiement');
    expect(après.context.erreurPaiement).toBe(CODE_ERREUR_RÉSEAU);
    // Outcome unknown: the attempt keeps its key for a resend.
    expect(après.context.cléIdempotence).toBe(enCours.traiterPaiement.cléIdempotence);
  } else {
    expect(après.value).toBe('livraison');
  }
  expect(traiterPaiement.running + validerLivraison.running).toBe(0);
  copie.stop();
}

/** Replays a model path on a real actor with scripted payment/delivery actors, checking properties at each step. */
async function runPath(path: TestPath<Snap, Ev>): Promise<PathResult> {
  const clock = new SimulatedClock();
  const traiterPaiement = createScriptedActor<SortieTraiterPaiement, EntréeTraiterPaiement>();
  const validerLivraison = createScriptedActor<SortieValiderLivraison, EntréeValiderLivraison>();
  const sut = machineCheckout.provide({
    actors: { traiterPaiement: traiterPaiement.logic, validerLivraison: validerLivraison.logic },
  });
  const actor = createActor(sut, { clock }).start();
  const states = new Set(activeStateIds(sut, actor.getSnapshot().value));
  const transitions = new Set<string>();
  let dernièreAdresseConfirmée: AdresseLivraison | null = null;
  let appelsAvantCommande = 0;
  // The key rule, restated from the shopper's side: a payment request reuses the key of the one before
  // it only when that one got no answer (erreur_réseau) and the shopper resends the same request.
  const clésVues = new Set<string>();
  let cléÀRenvoyer: string | null = null;

  for (const step of path.steps.slice(1)) {
    const event = step.event as AnyEventObject;
    const before = actor.getSnapshot();
    for (const key of takenTransitionKeys(sut, before, event)) transitions.add(key);
    const paiementsAvant = traiterPaiement.calls.length;
    const validationsAvant = validerLivraison.calls.length;

    await playEvent(actor, event, { traiterPaiement, validerLivraison }, clock);

    const after = actor.getSnapshot();
    for (const id of activeStateIds(sut, after.value)) states.add(id);
    expect(abstraction(after), label(event)).toBe(abstraction(step.state));

    if (event.type === 'CONFIRMER_LIVRAISON' && after.matches('validationLivraison')) {
      dernièreAdresseConfirmée = (event as Extract<Ev, { type: 'CONFIRMER_LIVRAISON' }>).adresse;
    }
    if (event.type === 'NOUVELLE_COMMANDE' && after.matches('panier')) appelsAvantCommande = traiterPaiement.calls.length;

    // Idempotency key: one per attempt, resent only for an attempt whose outcome is unknown.
    for (const appel of traiterPaiement.calls.slice(paiementsAvant)) {
      const clé = appel.input.cléIdempotence;
      expect(estCléIdempotence(clé, 'paiement')).toBe(true);
      if (cléÀRenvoyer !== null) expect(clé).toBe(cléÀRenvoyer);
      else expect(clésVues.has(clé)).toBe(false);
      clésVues.add(clé);
      cléÀRenvoyer = null;
    }
    if (before.hasTag('bloquant') && !after.hasTag('bloquant')) {
      const dernier = traiterPaiement.calls.at(-1)!.input.cléIdempotence;
      cléÀRenvoyer = after.context.erreurPaiement === CODE_ERREUR_RÉSEAU ? dernier : null;
    }
    if (event.type === 'RETOUR_PAIEMENT' && after.matches('paiement')) cléÀRenvoyer = null;
    if (event.type === 'CONFIRMER_LIVRAISON' && after.matches('validationLivraison')) {
      const e = event as Extract<Ev, { type: 'CONFIRMER_LIVRAISON' }>;
      const c = before.context;
      if (c.adresseLivraison?.ville !== e.adresse.ville || c.méthodeExpédition !== e.méthode) cléÀRenvoyer = null;
    }
    expect(after.context.cléIdempotence).toBe(after.hasTag('bloquant') ? traiterPaiement.pending().input.cléIdempotence : cléÀRenvoyer);

    // Restoring while loading resends the same request and still ends the loading.
    if (after.hasTag('chargement')) {
      const payant = after.hasTag('bloquant');
      await vérifierReprise(actor, {
        traiterPaiement: payant ? traiterPaiement.pending().input : null,
        validerLivraison: payant ? null : validerLivraison.pending().input,
      });
    }

    // No double submit: a payment is in flight exactly while the state is bloquant, and never two at once.
    expect(traiterPaiement.overlappingStarts).toBe(0);
    expect(traiterPaiement.running).toBe(after.hasTag('bloquant') ? 1 : 0);
    if (after.hasTag('bloquant')) expect(peutConfirmerPaiement(after)).toBe(false);
    // Retry limit holds per order, whatever path led back to paiement.
    expect(traiterPaiement.calls.length - appelsAvantCommande).toBeLessThanOrEqual(MAX_TENTATIVES_PAIEMENT);
    // Single source of truth: what is validated and charged is the last confirmed address, from the context.
    for (const appel of [...validerLivraison.calls.slice(validationsAvant), ...traiterPaiement.calls.slice(paiementsAvant)]) {
      expect(appel.input.adresse).toEqual(dernièreAdresseConfirmée);
      expect(appel.input.adresse).toEqual(after.context.adresseLivraison);
    }
  }
  actor.stop();
  return { states, transitions };
}

const results = new Map<number, PathResult>();

describe('machineCheckout — model-based paths', () => {
  it.each(paths.map((path, i) => [pathName(path, i), i] as const))('%s', async (_name, i) => {
    results.set(i, await runPath(paths[i]!));
  });

  it('reaches every state and every transition of the machine definition', async () => {
    for (const [i, path] of paths.entries()) if (!results.has(i)) results.set(i, await runPath(path));
    const reachedStates = new Set([...results.values()].flatMap((r) => [...r.states]));
    const reachedTransitions = new Set([...results.values()].flatMap((r) => [...r.transitions]));
    const expectedStates = allStateIds(machineCheckout);
    const expectedTransitions = allTransitionKeys(machineCheckout);

    console.log(
      formatCoverage(
        'checkout',
        { reached: reachedStates.size, total: expectedStates.length },
        { reached: reachedTransitions.size, total: expectedTransitions.length },
        paths.length,
      ),
    );
    expect([...reachedStates].sort()).toEqual([...expectedStates].sort());
    expect([...reachedTransitions].sort()).toEqual([...expectedTransitions].sort());
  });
});
