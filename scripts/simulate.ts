// `npm run simulate`: many shoppers and board users at once, each a headless actor of the
// real machines (machineCheckout, machineDragAndDropKanban) with random paths and injected
// faults (declined, blocked and hanging payments, failed and hanging saves), reporting
// through the real ingestion API with machines/reporter.ts. For demo data and for load.
//
// It talks to a running console: `npm start` first (which already runs a slow one in the
// background, scripts/lib/simulator.ts), then `npm run simulate` for more. By default it
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
import { parseArgs } from 'node:util';
import { runSimulation, simulatorKeys } from './lib/simulator';

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

const url = (flags.url ?? process.env.VIGIE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const options = {
  url,
  shoppers: num('shoppers', flags.shoppers, 0, 5000),
  boards: num('boards', flags.boards, 0, 1000),
  durationMs: num('duration', flags.duration, 1, 86_400) * 1000,
  speed: num('speed', flags.speed, 0, 100),
  faults: num('faults', flags.faults, 0, 1),
};

/** The keys given, else keys made here in the database `npm start` uses (DATABASE_URL, else the local default). */
async function keys(): Promise<{ checkout: string; kanban: string }> {
  const given = { checkout: flags['checkout-key'] ?? process.env.VIGIE_CHECKOUT_KEY, kanban: flags['kanban-key'] ?? process.env.VIGIE_KANBAN_KEY };
  if (given.checkout && given.kanban) return given as { checkout: string; kanban: string };
  const { createPrismaClient } = await import('../prisma/db');
  const db = createPrismaClient(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/vigie', { max: 2 });
  try {
    const made = await simulatorKeys(db);
    return { checkout: given.checkout ?? made.checkout, kanban: given.kanban ?? made.kanban };
  } finally {
    await db.$disconnect();
  }
}

const health = await fetch(`${url}/healthz`).catch(() => null);
if (!health) {
  console.error(`No console answers at ${url}: start one with \`npm start\`, or pass --url.`);
  process.exit(1);
}
const { checkout, kanban } = await keys();
console.log(`simulating ${options.shoppers} shoppers and ${options.boards} board users for ${options.durationMs / 1000} s against ${url} (faults ${options.faults}, speed ${options.speed})`);
const summary = await runSimulation({ ...options, checkoutKey: checkout, kanbanKey: kanban, onProgress: (line) => console.log(line) });
console.log(`\ncheckouts: ${JSON.stringify(summary.checkouts)}`);
console.log(`board saves: ${JSON.stringify(summary.saves)}`);
console.log(`reporters: ${summary.sent} events accepted by the API (${(summary.sent / summary.seconds).toFixed(0)}/s), ${summary.retried} retries, ${summary.dropped} dropped`);
console.log(`see ${url}/t/cartflow/checkouts and ${url}/t/teamboard/kanban`);
process.exit(summary.dropped > 0 ? 1 : 0);
