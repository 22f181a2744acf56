// What the demo seeds, decided before anything runs: a deterministic list of DataSync trials and
// CraftMarket payment sagas, each with a stable id, its behaviour (signals, injected provider
// faults) and, for trials, its clock. Seeding twice finds every id already there.
//
// Workflows cannot start in the past, so trials spread over days and phases by their clocks:
// half follow the production schedule (a day is a day), the others ("racing") run on
// accelerated demo clocks whose day lasts from a few seconds to an hour, spread geometrically,
// so for about an hour after seeding every trial day and phase has trials; signals sent at start
// put trials in activation, engagement (onboarding completed early) or converti (subscribed).
import type { DuréesOnboarding } from '../../temporal/workflows/onboarding.contract';
import type { FaultSpec } from '../../ports/faults';
import { onboardingWorkflowId } from '../../temporal/workflows/wire-names';

export const DEMO_TRIALS_TENANT = 'datasync';
export const DEMO_SAGAS_TENANT = 'craftmarket';
export const DEFAULT_DEMO_TRIALS = 300;
export const DEFAULT_DEMO_SAGAS = 100;

export interface DemoClock {
  /** The shortest and longest "day" of the racing trials, in ms. */
  fastestDayMs: number;
  slowestDayMs: number;
  /** The stuck trial's day: each of its emails retries ~13 minutes, so a short day keeps it stuck step after step. */
  stuckDayMs: number;
  /** How long each step of a "running" saga is held by the provider (a delay fault), under the activity's 45 s timeout. */
  runningSagaStepMs: number;
}

export const DEMO_CLOCK: DemoClock = { fastestDayMs: 3_000, slowestDayMs: 3_600_000, stuckDayMs: 120_000, runningSagaStepMs: 40_000 };

/** Sizes from the environment (DEMO_TRIALS, DEMO_SAGAS), checked. */
export function demoSizes(env: Record<string, string | undefined> = process.env) {
  const size = (name: string, fallback: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new RangeError(`${name} must be an integer from 0 to ${max} (got ${raw})`);
    return n;
  };
  return { trials: size('DEMO_TRIALS', DEFAULT_DEMO_TRIALS, 5_000), sagas: size('DEMO_SAGAS', DEFAULT_DEMO_SAGAS, 2_000) };
}

// ---- trials ----

export type TrialKind =
  | 'stuck' // every email times out at the mail provider: envoyerEmail keeps retrying
  | 'failed-email' // the welcome email is refused for good: listed in emailsÉchoués
  | 'failed-start' // the provider refuses the Stripe trial: the workflow fails
  | 'new' | 'activated' | 'engaged' | 'subscribed' // production schedule
  | 'racing' | 'racing-activated' | 'racing-engaged'; // accelerated clock

const REGULAR_CYCLE: TrialKind[] = ['new', 'activated', 'engaged', 'subscribed', 'racing', 'racing-activated', 'racing-engaged', 'racing', 'racing-activated', 'new'];

export interface PlannedTrial {
  userId: string;
  workflowId: string;
  name: string;
  email: string;
  kind: TrialKind;
  /** Absent: the production schedule. */
  durées?: DuréesOnboarding;
  /** For the trial page: how long a day of this trial lasts. */
  clockNote?: string;
  features: string[];
  onboardingCompleted: boolean;
  subscription: { planId: string; montant: number } | null;
  faults: FaultSpec[];
}

const FIRST = ['Camille', 'Hugo', 'Léa', 'Nathan', 'Chloé', 'Louis', 'Manon', 'Jules', 'Inès', 'Gabriel', 'Sarah', 'Arthur', 'Jade', 'Raphaël', 'Louise', 'Adam', 'Zoé', 'Paul', 'Alice', 'Lucas', 'Emma', 'Tom', 'Lina', 'Noah', 'Rose', 'Théo', 'Anna', 'Victor', 'Mila', 'Sacha', 'Clara'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez'];
const FEATURES = ['tableau-de-bord', 'connecteur-postgres', 'export-csv', 'alertes', 'api'];
const slug = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export const durationsForDay = (dayMs: number): DuréesOnboarding => ({ j1: dayMs, j3: 3 * dayMs, j7: 7 * dayMs, j12: 12 * dayMs, j14: 14 * dayMs, jour: dayMs });

export function describeDay(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 6_000) / 10} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}

/** The first `n` demo trials, in a fixed order: the same ids, names and behaviours every time. */
export function planDemoTrials(n: number, clock: DemoClock = DEMO_CLOCK): PlannedTrial[] {
  const kinds: TrialKind[] = Array.from({ length: n }, (_, i) => (['stuck', 'failed-email', 'failed-start'] as const)[i] ?? REGULAR_CYCLE[(i - 3) % REGULAR_CYCLE.length]!);
  const racingCount = kinds.filter((k) => k.startsWith('racing')).length;
  // Day lengths of the racing trials, geometric from fastest to slowest, in order of appearance:
  // each racing behaviour recurs every few steps of the ladder, so each spans the whole range.
  const ratio = racingCount > 1 ? Math.pow(clock.slowestDayMs / clock.fastestDayMs, 1 / (racingCount - 1)) : 1;
  let racing = 0;
  return kinds.map((kind, i) => {
    const userId = `u-demo-${String(i + 1).padStart(4, '0')}`;
    const workflowId = onboardingWorkflowId(userId);
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]!;
    const email = `${slug(first)}.${slug(last)}.${i + 1}@example.fr`;
    const dayMs = kind === 'stuck' ? clock.stuckDayMs : kind.startsWith('racing') ? Math.round(clock.fastestDayMs * Math.pow(ratio, racing++)) : null;
    const faults: FaultSpec[] =
      kind === 'stuck' ? [{ operation: 'mail.send', mode: 'timeout', target: email }]
      : kind === 'failed-email' ? [{ operation: 'mail.send', mode: 'reject', target: `${workflowId}:bienvenue-trial`, times: 1 }]
      : kind === 'failed-start' ? [{ operation: 'start_trial', mode: 'reject', target: `${workflowId}:trial`, times: 1 }]
      : [];
    const activated = kind === 'activated' || kind === 'engaged' || kind === 'subscribed' || kind === 'racing-activated' || kind === 'racing-engaged';
    return {
      userId,
      workflowId,
      name: `${first} ${last}`,
      email,
      kind,
      ...(dayMs === null ? {} : { durées: durationsForDay(dayMs), clockNote: `accelerated demo clock: a trial day lasts ${describeDay(dayMs)}` }),
      features: activated ? FEATURES.slice(0, 1 + (i % 3)).map((_, k) => FEATURES[(i + k) % FEATURES.length]!) : [],
      onboardingCompleted: kind === 'engaged' || kind === 'racing-engaged',
      subscription: kind === 'subscribed' ? { planId: i % 2 ? 'pro-annuel' : 'pro-mensuel', montant: i % 2 ? 49_000 : 4_900 } : null,
      faults,
    };
  });
}

// ---- payment sagas ----

export const SAGA_OUTCOMES = ['success', 'declined', 'invalid-seller', 'compensation-fails', 'timeout-then-success', 'insurance-refused', 'running'] as const;
export type SagaOutcome = (typeof SAGA_OUTCOMES)[number];

/** Twenty sagas hold every outcome: about half succeed, the rest fail, recover or are still running. */
const SAGA_CYCLE: SagaOutcome[] = [
  'success', 'declined', 'success', 'invalid-seller', 'timeout-then-success', 'success', 'insurance-refused', 'running', 'success', 'compensation-fails',
  'success', 'declined', 'success', 'invalid-seller', 'timeout-then-success', 'success', 'insurance-refused', 'running', 'success', 'success',
];
const AMOUNTS = [18_000, 24_550, 9_990, 4_500, 32_000, 12_990, 7_800, 56_000, 15_600, 2_990, 68_000, 21_500];

export interface PlannedSaga {
  commandeId: string;
  outcome: SagaOutcome;
  acheteurId: string;
  vendeurId: string;
  montantTotal: number;
  faults: FaultSpec[];
}

export function planDemoSagas(n: number, clock: DemoClock = DEMO_CLOCK): PlannedSaga[] {
  return Array.from({ length: n }, (_, i) => {
    const outcome = SAGA_CYCLE[i % SAGA_CYCLE.length]!;
    const commandeId = `CM-${3001 + i}`;
    const held = (operation: FaultSpec['operation']): FaultSpec => ({ operation, mode: 'delay', delayMs: clock.runningSagaStepMs, target: commandeId, times: 1 });
    const faults: Record<SagaOutcome, FaultSpec[]> = {
      success: [],
      declined: [{ operation: 'charge', mode: 'decline', target: commandeId, times: 1 }],
      'invalid-seller': [{ operation: 'transfer', mode: 'invalid_account', target: commandeId, times: 1 }],
      // The buyer's refund is refused once: finance can retry it from the console.
      'compensation-fails': [{ operation: 'transfer', mode: 'invalid_account', target: commandeId, times: 1 }, { operation: 'refund', mode: 'reject', target: commandeId, times: 1 }],
      // Alternately: two timeouts before the charge goes through, or a charge made whose answer was lost.
      'timeout-then-success': [i % 2 ? { operation: 'charge', mode: 'lost_answer', target: commandeId, times: 1 } : { operation: 'charge', mode: 'timeout', target: commandeId, times: 2 }],
      'insurance-refused': [{ operation: 'bill_insurance', mode: 'reject', target: commandeId, times: 1 }],
      running: [held('charge'), held('transfer'), held('bill_insurance')],
    };
    return {
      commandeId,
      outcome,
      acheteurId: `acheteur-${300 + (i % 37)}`,
      vendeurId: outcome === 'invalid-seller' || outcome === 'compensation-fails' ? `vendeur-non-verifie-${i}` : `vendeur-${400 + (i % 13)}`,
      montantTotal: AMOUNTS[i % AMOUNTS.length]! + (i % 9) * 100,
      faults: faults[outcome],
    };
  });
}

/** What finance does in the console once the sagas have ended: refunds, a compensation retried, incidents worked. */
export type FollowUp =
  | { commandeId: string; op: 'refund'; amountCents: number; reason: string }
  | { commandeId: string; op: 'retry-refund-compensation' }
  | { commandeId: string; op: 'resolve-incident'; reason: string }
  | { commandeId: string; op: 'acknowledge-and-assign' };

export function planFollowUps(sagas: PlannedSaga[]): FollowUp[] {
  const out: FollowUp[] = [];
  const seen: Partial<Record<SagaOutcome, number>> = {};
  for (const s of sagas) {
    const k = (seen[s.outcome] = (seen[s.outcome] ?? 0) + 1) - 1;
    if (s.outcome === 'success' && k % 5 === 0) {
      const full = k % 10 === 5;
      out.push({ commandeId: s.commandeId, op: 'refund', amountCents: full ? s.montantTotal : Math.round(s.montantTotal / 4), reason: full ? 'Order cancelled by the buyer before shipping (demo)' : 'One item of the order arrived damaged (demo)' });
    }
    if (s.outcome === 'compensation-fails' && k % 2 === 0) {
      out.push({ commandeId: s.commandeId, op: 'retry-refund-compensation' }, { commandeId: s.commandeId, op: 'resolve-incident', reason: 'Buyer refunded on retry; seller account under verification (demo)' });
    }
    if ((s.outcome === 'invalid-seller' || s.outcome === 'insurance-refused') && k % 3 === 0) {
      out.push({ commandeId: s.commandeId, op: 'resolve-incident', reason: 'The saga refunded the buyer; nothing left to recover (demo)' });
    }
    if ((s.outcome === 'invalid-seller' || s.outcome === 'insurance-refused') && k % 3 === 1) {
      out.push({ commandeId: s.commandeId, op: 'acknowledge-and-assign' });
    }
  }
  return out;
}
