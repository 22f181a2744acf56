// `npm run simulate`: many shoppers and board users at once, each a headless actor of the
// real machines (machineCheckout, machineDragAndDropKanban) with random paths and injected
// faults (declined, blocked and hanging payments, failed and hanging saves), reporting
// through the real ingestion API with machines/reporter.ts. For demo data and for load.
//
// It talks to a running console: `npm start` first, then `npm run simulate`. By default it
// reports to http://localhost:3000 and makes its own API keys ("Simulator") for the demo
// tenants cartflow (checkouts) and teamboard (boards) in the database `npm start` uses
// (DATABASE_URL, else the local default). Flags or env choose otherwise:
//   --url URL            (VIGIE_URL)            console to report to
//   --checkout-key KEY   (VIGIE_CHECKOUT_KEY)   API key for checkouts; its tenant gets them
//   --kanban-key KEY     (VIGIE_KANBAN_KEY)     API key for board save errors
//   --shoppers N         concurrent shoppers (default 40)
//   --boards N           concurrent board users (default 6)
//   --duration S         seconds to run (default 30)
//   --speed X            think-time multiplier (default 1; 0.1 = ten times faster)
//   --faults P           probability of a fault at each payment or save (default 0.25)
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createActor, fromPromise, waitFor, type ActorRefFrom } from 'xstate';
import { machineCheckout } from '../machines/checkout/machine';
import type { EntréeTraiterPaiement, EntréeValiderLivraison, SortieTraiterPaiement, SortieValiderLivraison } from '../machines/checkout/types';
import { machineDragAndDropKanban, colonneAccepteCarte } from '../machines/kanban/machine';
import type { Colonne, EntréeLirePositionCarte, EntréeSauvegarderDéplacement, SortieLirePositionCarte } from '../machines/kanban/types';
import { createReporter, type ReporterStats } from '../machines/reporter';
import { uid } from '../test-support/ids';

const { values: flags } = parseArgs({
  options: {
    url: { type: 'string' },
    'checkout-key': { type: 'string' },
    'kanban-key': { type: 'string' },
    shoppers: { type: 'string', default: '40' },
    boards: { type: 'string', default: '6' },
    duration: { type: 'string', default: '30' },
    speed: { type: 'string', default: '1' },
    faults: { type: 'string', default: '0.25' },
  },
});

function num(name: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`--${name} must be a number between ${min} and ${max} (got ${raw})`);
    process.exit(2);
  }
  return n;
}

const URL_ = (flags.url ?? process.env.VIGIE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const SHOPPERS = num('shoppers', flags.shoppers, 0, 5000);
const BOARDS = num('boards', flags.boards, 0, 1000);
const DURATION_MS = num('duration', flags.duration, 1, 86_400) * 1000;
const SPEED = num('speed', flags.speed, 0, 100);
const FAULTS = num('faults', flags.faults, 0, 1);

const rand = (min: number, max: number) => min + Math.random() * (max - min);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const chance = (p: number) => Math.random() < p;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
const think = (min = 200, max = 1500) => sleep(rand(min, max) * SPEED);
const deadline = Date.now() + DURATION_MS;
const running = () => Date.now() < deadline;

/** API keys made here when none is given: one per demo tenant, through the same helper the admin page uses. */
async function simulatorKeys(): Promise<{ checkout: string; kanban: string }> {
  const given = { checkout: flags['checkout-key'] ?? process.env.VIGIE_CHECKOUT_KEY, kanban: flags['kanban-key'] ?? process.env.VIGIE_KANBAN_KEY };
  if (given.checkout && given.kanban) return given as { checkout: string; kanban: string };
  const { createPrismaClient } = await import('../prisma/db');
  const { generateApiKey } = await import('../app/admin/api-keys.server');
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/vigie';
  const db = createPrismaClient(databaseUrl, { max: 2 });
  try {
    const make = async (tenantId: string) => {
      if (!(await db.tenant.findUnique({ where: { id: tenantId } }))) {
        throw new Error(`tenant "${tenantId}" is not in ${databaseUrl.replace(/\/\/[^@]*@/, '//')}: run \`npm start\` (it seeds the demo tenants) or pass the keys`);
      }
      const made = generateApiKey(tenantId);
      await db.apiKey.create({ data: { tenantId, name: `Simulator ${new Date().toISOString().slice(0, 16)}`, prefix: made.prefix, keyHash: made.keyHash } });
      return made.raw;
    };
    return { checkout: given.checkout ?? (await make('cartflow')), kanban: given.kanban ?? (await make('teamboard')) };
  } finally {
    await db.$disconnect();
  }
}

// ---- checkout shoppers ----

const PRODUCTS = [
  { produitId: 'canape-velours', prix: 1290 }, { produitId: 'table-chene', prix: 650 }, { produitId: 'lampe-laiton', prix: 89.9 },
  { produitId: 'buffet-noyer', prix: 980 }, { produitId: 'fauteuil-lin', prix: 450 }, { produitId: 'tapis-laine', prix: 320 },
];
const CITIES = [['Paris', '75011'], ['Lyon', '69003'], ['Marseille', '13006'], ['Lille', '59000'], ['Nantes', '44000'], ['Bordeaux', '33000']];
const PAYMENT_ERRORS = ['processing_error', 'card_declined', 'insufficient_funds', 'card_declined_permanently', 'fraud_blocked'];
const outcomes: Record<string, number> = {};
const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);

function shopperMachine() {
  return machineCheckout.provide({
    actors: {
      validerLivraison: fromPromise<SortieValiderLivraison, EntréeValiderLivraison>(
        async ({ input, signal }) => {
          await sleep(rand(50, 400) * SPEED, signal);
          if (!/^\d{5}$/.test(input.adresse.codePostal)) throw new Error('code_postal_invalide');
          return { fraisLivraison: 9.9, délaiEstimé: '3 jours' };
        },
      ),
      traiterPaiement: fromPromise<SortieTraiterPaiement, EntréeTraiterPaiement>(async ({ signal }) => {
        if (chance(FAULTS / 5)) {
          // A payment that never answers: the console shows the session as stuck (30 s) until the
          // machine gives up at délaiPaiement (45 s) with erreur_réseau.
          await sleep(120_000, signal);
        }
        await sleep(rand(300, 2500) * SPEED, signal);
        if (chance(FAULTS)) throw Object.assign(new Error('refusé'), { code: pick(PAYMENT_ERRORS) });
        return { référenceCommande: uid('SIM'), confirmation: 'ok' };
      }),
    },
  });
}

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
        adresse: { prénom: 'Sim', nom: 'Ulé', ligne1: '1 rue du Test', ligne2: '', ville, pays: 'FR', codePostal: chance(FAULTS / 4) ? 'ABC' : codePostal },
      });
    } else if (s.matches('validationLivraison') || s.matches('traitementPaiement')) {
      await waitFor(actor, (x) => !x.matches('validationLivraison') && !x.matches('traitementPaiement'), { timeout: Math.max(1000, deadline - Date.now()) }).catch(() => {});
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

const reporterTotals: ReporterStats[] = [];

async function shopperLoop(key: string) {
  while (running()) {
    const actor = createActor(shopperMachine());
    const reporter = createReporter({ endpoint: `${URL_}/api/v1/checkout-events`, apiKey: key, source: 'checkout', sessionId: `sim-${randomUUID()}`, flushIntervalMs: 1000 });
    reporter.attach(actor);
    actor.start();
    count(await shop(actor));
    await reporter.stop();
    reporterTotals.push(reporter.stats());
    actor.stop();
  }
}

// ---- board users ----

const saveOutcomes: Record<string, number> = {};
const countSave = (k: string) => (saveOutcomes[k] = (saveOutcomes[k] ?? 0) + 1);

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

function boardMachine() {
  return machineDragAndDropKanban.provide({
    actors: {
      sauvegarderDéplacement: fromPromise<void, EntréeSauvegarderDéplacement>(async ({ signal }) => {
        const r = Math.random();
        if (r < FAULTS / 3) {
          countSave('hang');
          await sleep(60_000, signal);
          return;
        }
        await sleep(rand(50, 400) * SPEED, signal);
        if (r < FAULTS) {
          countSave('error');
          throw new Error(pick(['Erreur 500', 'Erreur 503', 'Erreur 409']));
        }
        countSave('ok');
      }),
      // A hanging save here is never applied: the re-read after its timeout finds the card unmoved.
      lirePositionCarte: fromPromise<SortieLirePositionCarte, EntréeLirePositionCarte>(async ({ signal }) => {
        await sleep(rand(50, 200) * SPEED, signal);
        return null;
      }),
    },
    delays: { délaiSauvegarde: Math.max(200, 3000 * SPEED) },
  });
}

async function boardLoop(key: string, index: number) {
  const actor = createActor(boardMachine(), { input: { colonnes: freshBoard() } });
  const reporter = createReporter({ endpoint: `${URL_}/api/v1/kanban-errors`, apiKey: key, source: 'kanban', sessionId: `sim-board-${randomUUID()}`, flushIntervalMs: 1000 });
  reporter.attach(actor, { boardId: `sim-board-${index % 3}` });
  actor.start();
  while (running()) {
    await think(300, 2000);
    const s = actor.getSnapshot();
    if (!s.matches('repos')) {
      await waitFor(actor, (x) => x.matches('repos'), { timeout: 10_000 }).catch(() => actor.send({ type: 'EFFACER_ERREUR' }));
      continue;
    }
    const { colonnes } = s.context;
    const from = pick(colonnes.filter((c) => c.cartes.length > 0));
    const cardIndex = Math.floor(rand(0, from.cartes.length));
    actor.send({ type: 'COMMENCER', carteId: from.cartes[cardIndex].id, colonneId: from.id, index: cardIndex });
    const to = pick(colonnes.filter((c) => c.id !== from.id));
    actor.send({ type: 'SURVOL', colonneId: to.id, indexCible: Math.floor(rand(0, to.cartes.length + 1)) });
    if (!colonneAccepteCarte(colonnes, from.id, to.id)) countSave('refused (full column)');
    actor.send(chance(0.1) ? { type: 'ANNULER' } : { type: 'DÉPOSER' });
  }
  await reporter.stop();
  reporterTotals.push(reporter.stats());
  actor.stop();
}

const health = await fetch(`${URL_}/healthz`).catch(() => null);
if (!health) {
  console.error(`No console answers at ${URL_}: start one with \`npm start\`, or pass --url.`);
  process.exit(1);
}
const keys = await simulatorKeys();
console.log(`simulating ${SHOPPERS} shoppers and ${BOARDS} board users for ${DURATION_MS / 1000} s against ${URL_} (faults ${FAULTS}, speed ${SPEED})`);
const started = Date.now();
const progress = setInterval(() => {
  const sent = reporterTotals.reduce((n, s) => n + s.sent, 0);
  console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${Object.values(outcomes).reduce((a, b) => a + b, 0)} checkouts finished, ${sent} events sent by finished reporters`);
}, 10_000);
await Promise.all([
  ...Array.from({ length: SHOPPERS }, () => shopperLoop(keys.checkout)),
  ...Array.from({ length: BOARDS }, (_, i) => boardLoop(keys.kanban, i)),
]);
clearInterval(progress);

const total = reporterTotals.reduce(
  (t, s) => ({ sent: t.sent + s.sent, dropped: t.dropped + s.dropped, retried: t.retried + s.retried }),
  { sent: 0, dropped: 0, retried: 0 },
);
const seconds = (Date.now() - started) / 1000;
console.log(`\ncheckouts: ${JSON.stringify(outcomes)}`);
console.log(`board saves: ${JSON.stringify(saveOutcomes)}`);
console.log(`reporters: ${total.sent} events accepted by the API (${(total.sent / seconds).toFixed(0)}/s), ${total.retried} retries, ${total.dropped} dropped`);
console.log(`see ${URL_}/t/cartflow/checkouts and ${URL_}/t/teamboard/kanban`);
process.exit(total.dropped > 0 ? 1 : 0);
