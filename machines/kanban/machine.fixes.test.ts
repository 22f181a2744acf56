import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { settle } from '../test-support/replay';
import { estCléIdempotence } from '../idempotence';
import { createScriptedActor } from '../test-support/scripted-actor';
import {
  colonneAccepteCarte,
  DÉLAI_EFFACEMENT_ERREUR_MS,
  DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS,
  DÉLAI_VÉRIFICATION_PAR_DÉFAUT_MS,
  KANBAN_MACHINE_VERSION,
  machineDragAndDropKanban,
  MESSAGE_DÉLAI_DÉPASSÉ,
} from './machine';
import type { Carte, Colonne, EntréeLirePositionCarte, EntréeSauvegarderDéplacement, SortieLirePositionCarte } from './types';

const cartes = (n: number, préfixe: string): Carte[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${préfixe}${i}`, titre: `${préfixe} ${i}` }));

const TABLEAU: Colonne[] = [
  { id: 'àFaire', titre: 'À faire', cartes: [{ id: 'c1', titre: 'Maquette' }, { id: 'c2', titre: 'API' }] },
  { id: 'enCours', titre: 'En cours', limite: 1, cartes: [{ id: 'c3', titre: 'Recette' }] },
  { id: 'fait', titre: 'Fait', limite: null, cartes: [] },
];

function démarrer(colonnes: Colonne[] = TABLEAU, delays?: { délaiSauvegarde?: number; délaiVérification?: number }) {
  const clock = new SimulatedClock();
  const sauvegarder = createScriptedActor<void, EntréeSauvegarderDéplacement>();
  const lirePosition = createScriptedActor<SortieLirePositionCarte, EntréeLirePositionCarte>();
  const machine = machineDragAndDropKanban.provide({
    actors: { sauvegarderDéplacement: sauvegarder.logic, lirePositionCarte: lirePosition.logic },
    ...(delays ? { delays } : {}),
  });
  const actor = createActor(machine, { clock, input: { colonnes } }).start();
  return { actor, clock, sauvegarder, lirePosition, snap: () => actor.getSnapshot() };
}

/** Drags c1 from àFaire[0] and drops it on `colonneId` at `indexCible`, leaving the machine in sauvegarde. */
function glisserDéposer(t: ReturnType<typeof démarrer>, colonneId = 'fait', indexCible = 0) {
  t.actor.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'àFaire', index: 0 });
  t.actor.send({ type: 'SURVOL', colonneId, indexCible });
  t.actor.send({ type: 'DÉPOSER' });
  expect(t.snap().value).toBe('sauvegarde');
}

describe('colonneAccepte (seed bug: operator precedence, hard-coded 20, unknown columns accepted)', () => {
  const cas: [string, Colonne, string | null, boolean][] = [
    ['unknown column', { id: 'autre', titre: '', cartes: [] }, null, false],
    ['limit 5 holding 10 cards (seed accepted it)', { id: 'x', titre: '', limite: 5, cartes: cartes(10, 'x') }, null, false],
    ['limit 50 holding 30 cards (seed refused it)', { id: 'x', titre: '', limite: 50, cartes: cartes(30, 'x') }, null, true],
    ['limit 3 holding 2 cards', { id: 'x', titre: '', limite: 3, cartes: cartes(2, 'x') }, null, true],
    ['limit 3 holding 3 cards', { id: 'x', titre: '', limite: 3, cartes: cartes(3, 'x') }, null, false],
    ['no limit set, 19 cards (default 20)', { id: 'x', titre: '', cartes: cartes(19, 'x') }, null, true],
    ['no limit set, 20 cards (default 20)', { id: 'x', titre: '', cartes: cartes(20, 'x') }, null, false],
    ['explicitly unlimited (null), 500 cards', { id: 'x', titre: '', limite: null, cartes: cartes(500, 'x') }, null, true],
    ['full column, card already in it (reorder)', { id: 'x', titre: '', limite: 3, cartes: cartes(3, 'x') }, 'x', true],
  ];
  it.each(cas)('%s', (_nom, colonne, colonneOriginale, attendu) => {
    const colonnes = colonne.id === 'autre' ? TABLEAU : [...TABLEAU, colonne];
    expect(colonneAccepteCarte(colonnes, colonneOriginale, colonne.id === 'autre' ? 'inexistante' : colonne.id)).toBe(attendu);
  });

  it('keeps glissement when hovering a full column, and leaves survol for glissement when moving onto one', () => {
    const t = démarrer();
    t.actor.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'àFaire', index: 0 });
    t.actor.send({ type: 'SURVOL', colonneId: 'enCours', indexCible: 0 });
    expect(t.snap().value).toBe('glissement');
    t.actor.send({ type: 'SURVOL', colonneId: 'fait', indexCible: 0 });
    expect(t.snap().value).toBe('survol');
    t.actor.send({ type: 'SURVOL', colonneId: 'enCours', indexCible: 0 });
    expect(t.snap().value).toBe('glissement');
    expect(t.snap().context).toMatchObject({ colonneCible: null, indexCible: null });
  });

  it('accepts reordering a card inside its own full column', async () => {
    const t = démarrer();
    t.actor.send({ type: 'COMMENCER', carteId: 'c3', colonneId: 'enCours', index: 0 });
    t.actor.send({ type: 'SURVOL', colonneId: 'enCours', indexCible: 0 });
    expect(t.snap().value).toBe('survol');
  });
});

describe('sauvegarde timeout (seed bug: a save that never answers blocked the board)', () => {
  it('gives up after 10 s by default, aborts the request and asks the server where the card is', () => {
    const t = démarrer();
    glisserDéposer(t);
    t.clock.increment(DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS - 1);
    expect(t.snap().value).toBe('sauvegarde');
    t.clock.increment(1);
    expect(t.snap().value).toBe('vérificationSauvegarde');
    expect(t.sauvegarder.calls[0]!.status).toBe('aborted');
    expect(t.lirePosition.pending().input).toEqual({ carteId: 'c1' });
    // The board still shows the drop until the server has answered.
    expect(t.snap().context.colonnes[2]!.cartes.map((c) => c.id)).toEqual(['c1']);
  });

  const sansErreur = null;
  it.each([
    ['keeps a move the server applied although its answer never came (no error)', { colonneId: 'fait', index: 0 }, 'repos', [['c2'], ['c3'], ['c1']], sansErreur],
    ['rolls back a move the server never applied', null, 'erreurSauvegarde', [['c1', 'c2'], ['c3'], []], MESSAGE_DÉLAI_DÉPASSÉ],
    ['puts the card where the server has it, neither the drop nor the start', { colonneId: 'àFaire', index: 1 }, 'erreurSauvegarde', [['c2', 'c1'], ['c3'], []], MESSAGE_DÉLAI_DÉPASSÉ],
  ] as const)('%s', async (_cas, serveur, état, cartes, erreur) => {
    const t = démarrer();
    glisserDéposer(t, 'fait', 0);
    t.clock.increment(DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS);
    t.lirePosition.pending().resolve(serveur);
    await settle();
    expect(t.snap().value).toBe(état);
    expect(t.snap().context.colonnes.map((c) => c.cartes.map((x) => x.id))).toEqual(cartes);
    expect(t.snap().context.erreurSauvegarde).toBe(erreur);
  });

  it.each([
    ['the re-read fails', (t: ReturnType<typeof démarrer>) => t.lirePosition.pending().reject(new Error('Erreur 503'))],
    ['the re-read never answers', (t: ReturnType<typeof démarrer>) => t.clock.increment(DÉLAI_VÉRIFICATION_PAR_DÉFAUT_MS)],
    ['the server names a column the board does not have', (t: ReturnType<typeof démarrer>) => t.lirePosition.pending().resolve({ colonneId: 'archivée', index: 0 })],
  ])('rolls back when %s (the seed\'s deterministic rollback)', async (_cas, répondre) => {
    const t = démarrer();
    glisserDéposer(t);
    t.clock.increment(DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS);
    répondre(t);
    await settle();
    expect(t.snap().value).toBe('erreurSauvegarde');
    expect(t.snap().context.colonnes).toEqual(TABLEAU);
    expect(t.lirePosition.running).toBe(0);
  });

  it('takes its delays from machine.provide({ delays: { délaiSauvegarde, délaiVérification } })', () => {
    const t = démarrer(TABLEAU, { délaiSauvegarde: 2_000, délaiVérification: 500 });
    glisserDéposer(t);
    t.clock.increment(1_999);
    expect(t.snap().value).toBe('sauvegarde');
    t.clock.increment(1);
    expect(t.snap().value).toBe('vérificationSauvegarde');
    t.clock.increment(500);
    expect(t.snap().value).toBe('erreurSauvegarde');
  });

  it('ignores a save answer that arrives after the timeout', async () => {
    let répondre: () => void = () => {};
    const lente = fromPromise<void, EntréeSauvegarderDéplacement>(() => new Promise<void>((r) => (répondre = r)));
    const lirePositionCarte = fromPromise<SortieLirePositionCarte, EntréeLirePositionCarte>(async () => null);
    const clock = new SimulatedClock();
    const actor = createActor(
      machineDragAndDropKanban.provide({ actors: { sauvegarderDéplacement: lente, lirePositionCarte } }),
      { clock, input: { colonnes: TABLEAU } },
    ).start();
    actor.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'àFaire', index: 0 });
    actor.send({ type: 'SURVOL', colonneId: 'fait', indexCible: 0 });
    actor.send({ type: 'DÉPOSER' });
    clock.increment(DÉLAI_SAUVEGARDE_PAR_DÉFAUT_MS);
    répondre();
    await settle();
    expect(actor.getSnapshot().value).toBe('erreurSauvegarde');
    expect(actor.getSnapshot().context.colonnes).toEqual(TABLEAU);
  });
});

describe('idempotency key of a save', () => {
  it('gives each drop its own key, kept while the save runs and dropped back in repos', async () => {
    const t = démarrer();
    glisserDéposer(t);
    const première = t.sauvegarder.pending().input.cléIdempotence;
    expect(estCléIdempotence(première, 'deplacement')).toBe(true);
    expect(t.snap().context.cléIdempotence).toBe(première);
    t.sauvegarder.pending().resolve();
    await settle();
    expect(t.snap().context.cléIdempotence).toBeNull();
    t.actor.send({ type: 'COMMENCER', carteId: 'c2', colonneId: 'àFaire', index: 0 });
    t.actor.send({ type: 'SURVOL', colonneId: 'fait', indexCible: 1 });
    t.actor.send({ type: 'DÉPOSER' });
    expect(t.sauvegarder.pending().input.cléIdempotence).not.toBe(première);
  });
});

describe('rollback and error clearing', () => {
  it('restores the board exactly after a failed save, same-column reorder included', async () => {
    const t = démarrer();
    t.actor.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'àFaire', index: 0 });
    t.actor.send({ type: 'SURVOL', colonneId: 'àFaire', indexCible: 1 });
    t.actor.send({ type: 'DÉPOSER' });
    expect(t.snap().context.colonnes[0]!.cartes.map((c) => c.id)).toEqual(['c2', 'c1']);
    t.sauvegarder.pending().reject(new Error('Erreur 409'));
    await settle();
    expect(t.snap().value).toBe('erreurSauvegarde');
    expect(t.snap().context.erreurSauvegarde).toBe('Erreur 409');
    expect(t.snap().context.colonnes).toEqual(TABLEAU);
  });

  it('clears the error after 3 s (seed left erreurSauvegarde set)', async () => {
    const t = démarrer();
    glisserDéposer(t);
    t.sauvegarder.pending().reject(new Error('Erreur 500'));
    await settle();
    t.clock.increment(DÉLAI_EFFACEMENT_ERREUR_MS - 1);
    expect(t.snap().value).toBe('erreurSauvegarde');
    t.clock.increment(1);
    expect(t.snap().value).toBe('repos');
    expect(t.snap().context).toEqual({
      colonnes: TABLEAU, carteGlissée: null, colonneOriginale: null, colonneCible: null,
      indexOriginal: null, indexCible: null, erreurSauvegarde: null, cléIdempotence: null,
    });
  });

  it('clears the error on EFFACER_ERREUR', async () => {
    const t = démarrer();
    glisserDéposer(t);
    t.sauvegarder.pending().reject(new Error('Erreur 500'));
    await settle();
    t.actor.send({ type: 'EFFACER_ERREUR' });
    expect(t.snap().value).toBe('repos');
    expect(t.snap().context.erreurSauvegarde).toBeNull();
  });

  it('keeps the move and clears the drag once the save succeeds, sending the index the card really has', async () => {
    const t = démarrer();
    glisserDéposer(t, 'fait', 42);
    expect(t.sauvegarder.pending().input).toMatchObject({ carteId: 'c1', colonneId: 'fait', nouvelIndex: 0 });
    t.sauvegarder.pending().resolve();
    await settle();
    expect(t.snap().value).toBe('repos');
    expect(t.snap().context.colonnes[2]!.cartes.map((c) => c.id)).toEqual(['c1']);
    expect(t.snap().context.indexOriginal).toBeNull();
  });
});

describe('drag lifecycle', () => {
  it('ignores COMMENCER whose index does not match the board, so a rollback can always be exact', () => {
    const t = démarrer();
    t.actor.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'àFaire', index: 1 });
    expect(t.snap().value).toBe('repos');
  });

  it('returns to repos when dropped outside any column (seed stayed in glissement)', () => {
    const t = démarrer();
    t.actor.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'àFaire', index: 0 });
    t.actor.send({ type: 'DÉPOSER' });
    expect(t.snap().value).toBe('repos');
    expect(t.snap().context.carteGlissée).toBeNull();
  });

  it('clears every drag field on ANNULER (seed kept the indexes)', () => {
    const t = démarrer();
    t.actor.send({ type: 'COMMENCER', carteId: 'c1', colonneId: 'àFaire', index: 0 });
    t.actor.send({ type: 'SURVOL', colonneId: 'fait', indexCible: 0 });
    t.actor.send({ type: 'ANNULER' });
    expect(t.snap().context).toMatchObject({ carteGlissée: null, indexOriginal: null, indexCible: null, colonneCible: null });
  });

  it('ignores a new drag while a save is in flight (the ghost-card race)', () => {
    const t = démarrer();
    glisserDéposer(t);
    t.actor.send({ type: 'COMMENCER', carteId: 'c2', colonneId: 'àFaire', index: 0 });
    expect(t.snap().value).toBe('sauvegarde');
    expect(t.sauvegarder.calls).toHaveLength(1);
  });

  it('starts from the board given as input, carries its id and version', () => {
    expect(démarrer().snap().context.colonnes).toEqual(TABLEAU);
    expect(createActor(machineDragAndDropKanban, { input: {} }).getSnapshot().context.colonnes).toEqual([]);
    expect(machineDragAndDropKanban.id).toBe('dndKanban');
    expect(machineDragAndDropKanban.version).toBe(KANBAN_MACHINE_VERSION);
  });
});
