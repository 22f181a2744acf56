// Many shoppers and board users at once, each a headless actor of the real machines
// (machineCheckout, machineDragAndDropKanban) with random paths and injected faults (declined,
// blocked and hanging payments, failed and hanging saves), reporting through the real ingestion
// API with machines/reporter.ts. Run by `npm run simulate` (scripts/simulate.ts), in the
// background of `npm start` (scripts/start.ts) and by the demo pages' e2e spec.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createActor, fromPromise, waitFor, type ActorRefFrom } from 'xstate';
import type { Db } from '../../prisma/db';
import { machineCheckout } from '../../machines/checkout/machine';
import type { EntréeTraiterPaiement, EntréeValiderLivraison, SortieTraiterPaiement, SortieValiderLivraison } from '../../machines/checkout/types';
import { machineDragAndDropKanban, colonneAccepteCarte } from '../../machines/kanban/machine';
import type { Colonne, EntréeLirePositionCarte, EntréeSauvegarderDéplacement, SortieLirePositionCarte } from '../../machines/kanban/types';
import { createReporter, type ReporterStats } from '../../machines/reporter';
import { uid } from '../../test-support/ids';

export interface SimulationOptions {
  /** The console to report to, e.g. http://localhost:3000. */
  url: string;
  checkoutKey: string;
  kanbanKey: string;
  shoppers: number;
  boards: number;
  /** How long to run; Infinity: until `signal` aborts. */
  durationMs: number;
  /** Think-time multiplier (1; 0.1 = ten times faster). */
  speed: number;
  /** Probability of a fault at each payment or save. */
  faults: number;
  signal?: AbortSignal;
  /** Called every 10 s with a progress line. */
  onProgress?: (line: string) => void;
}

export interface SimulationSummary {
  checkouts: Record<string, number>;
  saves: Record<string, number>;
  sent: number;
  dropped: number;
  retried: number;
  seconds: number;
}

const PRODUCTS = [
  { produitId: 'canape-velours', prix: 1290 }, { produitId: 'table-chene', prix: 650 }, { produitId: 'lampe-laiton', prix: 89.9 },
  { produitId: 'buffet-noyer', prix: 980 }, { produitId: 'fauteuil-lin', prix: 450 }, { produitId: 'tapis-laine', prix: 320 },
];
const CITIES = [['Paris', '75011'], ['Lyon', '69003'], ['Marseille', '13006'], ['Lille', '59000'], ['Nantes', '44000'], ['Bordeaux', '33000']];
const PAYMENT_ERRORS = ['processing_error', 'card_declined', 'insufficient_funds', 'card_declined_permanently', 'fraud_blocked'];

const rand = (min: number, max: number) => min + Math.random() * (max - min);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const chance = (p: number) => Math.random() < p;
/** Resolves after `ms`, or at once when `signal` aborts; leaves no listener behind on a long-lived signal. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => { clearTimeout(t); resolve(); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function freshBoard(): Colonne[] {
  let n = 0;
  const cards = (k: number) => Array.from({ length: k }, () => ({ id: `c${++n}`, titre: `Carte ${n}` }));
  return [
    { id: 'backlog', titre: 'Backlog', cartes: cards(8) },
    { id: 'en-cours', titre: 'En cours', limite: 3, cartes: cards(2) },
    { id: 'revue', titre: 'Revue', limite: 2, cartes: cards(1) },
    { id: 'fait', titre: 'Fait', limite: null, cartes: cards(3) },
  ];
}

export async function runSimulation(o: SimulationOptions): Promise<SimulationSummary> {
  const url = o.url.replace(/\/$/, '');
  const stop = o.signal ?? new AbortController().signal;
  // Every shopper and board user waits on it at once (a sleep, a waitFor): that many listeners is expected.
  setMaxListeners(Math.max(10, 2 * (o.shoppers + o.boards) + 10), stop);
  const deadline = Date.now() + o.durationMs;
  const running = () => !stop.aborted && Date.now() < deadline;
  const think = (min = 200, max = 1500) => sleep(rand(min, max) * o.speed, stop);
  const untilDeadline = () => Math.max(1000, Math.min(deadline - Date.now(), 2 ** 31 - 1));
  const outcomes: Record<string, number> = {};
  const saveOutcomes: Record<string, number> = {};
  const count = (into: Record<string, number>, k: string) => (into[k] = (into[k] ?? 0) + 1);
  const reporterTotals: ReporterStats[] = [];

  // ---- checkout shoppers ----
  const shopperMachine = () =>
    machineCheckout.provide({
      actors: {
        validerLivraison: fromPromise<SortieValiderLivraison, EntréeValiderLivraison>(async ({ input, signal }) => {
          await sleep(rand(50, 400) * o.speed, signal);
          if (!/^\d{5}$/.test(input.adresse.codePostal)) throw new Error('code_postal_invalide');
          return { fraisLivraison: 9.9, délaiEstimé: '3 jours' };
        }),
        traiterPaiement: fromPromise<SortieTraiterPaiement, EntréeTraiterPaiement>(async ({ signal }) => {
          // A payment that never answers: the console shows the session as stuck (30 s) until the
          // machine gives up at délaiPaiement (45 s) with erreur_réseau.
          if (chance(o.faults / 5)) await sleep(120_000, signal);
          await sleep(rand(300, 2500) * o.speed, signal);
          if (chance(o.faults)) throw Object.assign(new Error('refusé'), { code: pick(PAYMENT_ERRORS) });
          return { référenceCommande: uid('SIM'), confirmation: 'ok' };
        }),
      },
    });
  type Shopper = ActorRefFrom<ReturnType<typeof shopperMachine>>;

  async function shop(actor: Shopper) {
    for (let step = 0; step < 60 && running(); step++) {
      const s = actor.getSnapshot();
      await think();
      if (s.matches('panier')) {
        for (let i = 0, n = Math.ceil(rand(0, 3)); i < n; i++) {
          const p = pick(PRODUCTS);
          actor.send({ type: 'AJOUTER_ARTICLE', produitId: p.produitId, quantité: Math.ceil(rand(0, 2)), prix: p.prix });
        }
        if (chance(0.08)) return 'abandoned in panier';
        actor.send({ type: 'ALLER_LIVRAISON' });
      } else if (s.matches('livraison')) {
        const [ville, codePostal] = pick(CITIES);
        actor.send({
          type: 'CONFIRMER_LIVRAISON',
          méthode: pick(['standard', 'express', 'premium'] as const),
          adresse: { prénom: 'Sim', nom: 'Ulé', ligne1: '1 rue du Test', ligne2: '', ville, pays: 'FR', codePostal: chance(o.faults / 4) ? 'ABC' : codePostal },
        });
      } else if (s.matches('validationLivraison') || s.matches('traitementPaiement')) {
        await waitFor(actor, (x) => !x.matches('validationLivraison') && !x.matches('traitementPaiement'), { timeout: untilDeadline(), signal: stop }).catch(() => {});
      } else if (s.matches('paiement')) {
        if (chance(0.05)) actor.send({ type: 'RETOUR_LIVRAISON' });
        else actor.send({ type: 'CONFIRMER_PAIEMENT', méthodeId: `pm_sim_${uid()}` });
      } else if (s.matches('erreurPaiement')) {
        if (s.can({ type: 'RÉESSAYER_PAIEMENT' }) && chance(0.8)) actor.send({ type: 'RÉESSAYER_PAIEMENT' });
        else if (s.can({ type: 'RETOUR_PAIEMENT' }) && chance(0.5)) actor.send({ type: 'RETOUR_PAIEMENT' });
        else return `payment blocked (${s.context.erreurPaiement})`;
      } else if (s.matches('confirmation')) {
        return 'confirmed';
      }
    }
    const s = actor.getSnapshot();
    if (s.matches('confirmation')) return 'confirmed';
    return `still in ${typeof s.value === 'string' ? s.value : Object.keys(s.value)[0]} at the end`;
  }

  async function shopperLoop() {
    while (running()) {
      const actor = createActor(shopperMachine());
      const reporter = createReporter({ endpoint: `${url}/api/v1/checkout-events`, apiKey: o.checkoutKey, source: 'checkout', sessionId: `sim-${randomUUID()}`, flushIntervalMs: 1000 });
      reporter.attach(actor);
      actor.start();
      count(outcomes, await shop(actor));
      await reporter.stop();
      reporterTotals.push(reporter.stats());
      actor.stop();
    }
  }

  // ---- board users ----
  const boardMachine = () =>
    machineDragAndDropKanban.provide({
      actors: {
        sauvegarderDéplacement: fromPromise<void, EntréeSauvegarderDéplacement>(async ({ signal }) => {
          const r = Math.random();
          if (r < o.faults / 3) {
            count(saveOutcomes, 'hang');
            await sleep(60_000, signal);
            return;
          }
          await sleep(rand(50, 400) * o.speed, signal);
          if (r < o.faults) {
            count(saveOutcomes, 'error');
            throw new Error(pick(['Erreur 500', 'Erreur 503', 'Erreur 409']));
          }
          count(saveOutcomes, 'ok');
        }),
        // A hanging save here is never applied: the re-read after its timeout finds the card unmoved.
        lirePositionCarte: fromPromise<SortieLirePositionCarte, EntréeLirePositionCarte>(async ({ signal }) => {
          await sleep(rand(50, 200) * o.speed, signal);
          return null;
        }),
      },
      delays: { délaiSauvegarde: Math.max(200, 3000 * o.speed) },
    });

  async function boardLoop(index: number) {
    const actor = createActor(boardMachine(), { input: { colonnes: freshBoard() } });
    const reporter = createReporter({ endpoint: `${url}/api/v1/kanban-errors`, apiKey: o.kanbanKey, source: 'kanban', sessionId: `sim-board-${randomUUID()}`, flushIntervalMs: 1000 });
    reporter.attach(actor, { boardId: `sim-board-${index % 3}` });
    actor.start();
    while (running()) {
      await think(300, 2000);
      const s = actor.getSnapshot();
      if (!s.matches('repos')) {
        await waitFor(actor, (x) => x.matches('repos'), { timeout: 10_000, signal: stop }).catch(() => actor.send({ type: 'EFFACER_ERREUR' }));
        continue;
      }
      const { colonnes } = s.context;
      const from = pick(colonnes.filter((c) => c.cartes.length > 0));
      const cardIndex = Math.floor(rand(0, from.cartes.length));
      actor.send({ type: 'COMMENCER', carteId: from.cartes[cardIndex].id, colonneId: from.id, index: cardIndex });
      const to = pick(colonnes.filter((c) => c.id !== from.id));
      actor.send({ type: 'SURVOL', colonneId: to.id, indexCible: Math.floor(rand(0, to.cartes.length + 1)) });
      if (!colonneAccepteCarte(colonnes, from.id, to.id)) count(saveOutcomes, 'refused (full column)');
      actor.send(chance(0.1) ? { type: 'ANNULER' } : { type: 'DÉPOSER' });
    }
    await reporter.stop();
    reporterTotals.push(reporter.stats());
    actor.stop();
  }

  const started = Date.now();
  const progress = o.onProgress
    ? setInterval(() => {
      const sent = reporterTotals.reduce((n, s) => n + s.sent, 0);
      o.onProgress!(`  ${Math.round((Date.now() - started) / 1000)} s: ${Object.values(outcomes).reduce((a, b) => a + b, 0)} checkouts finished, ${sent} events sent by finished reporters`);
    }, 10_000)
    : null;
  try {
    await Promise.all([
      ...Array.from({ length: o.shoppers }, () => shopperLoop()),
      ...Array.from({ length: o.boards }, (_, i) => boardLoop(i)),
    ]);
  } finally {
    if (progress) clearInterval(progress);
  }
  const total = reporterTotals.reduce((t, s) => ({ sent: t.sent + s.sent, dropped: t.dropped + s.dropped, retried: t.retried + s.retried }), { sent: 0, dropped: 0, retried: 0 });
  return { checkouts: outcomes, saves: saveOutcomes, ...total, seconds: (Date.now() - started) / 1000 };
}

/**
 * API keys for the simulator in the demo tenants cartflow (checkouts) and teamboard (boards).
 * `stable`: one key per tenant named "Demo simulator (npm start)", kept under a fixed id and
 * given a new secret at each call (a key is stored hashed, so the old secret cannot be read
 * back): restarts do not pile keys up. Otherwise a new key named after the time, as before.
 */
export async function simulatorKeys(db: Db, opts: { stable?: boolean } = {}): Promise<{ checkout: string; kanban: string }> {
  const { apiKeyIdFor, generateApiKey } = await import('../../app/admin/api-keys.server');
  const make = async (tenantId: string) => {
    if (!(await db.tenant.findUnique({ where: { id: tenantId } }))) throw new Error(`tenant "${tenantId}" is not in the database: run \`npm start\` (it seeds the demo tenants) or pass the keys`);
    const made = generateApiKey(tenantId);
    const secret = { prefix: made.prefix, keyHash: made.keyHash };
    if (opts.stable) {
      const id = apiKeyIdFor(tenantId, 'demo-simulator-npm-start');
      await db.apiKey.upsert({ where: { id }, create: { id, tenantId, name: 'Demo simulator (npm start)', ...secret }, update: { ...secret, revokedAt: null } });
    } else {
      await db.apiKey.create({ data: { tenantId, name: `Simulator ${new Date().toISOString().slice(0, 16)}`, ...secret } });
    }
    return made.raw;
  };
  return { checkout: await make('cartflow'), kanban: await make('teamboard') };
}
