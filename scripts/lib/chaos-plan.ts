// What the chaos run starts and what each piece of work must end as: trials of four kinds, payment
// sagas across the fault matrix, the faults armed for each, and which few go through the console.
// Pure data, so the run (chaos.ts) and the checks (chaos-checks.ts) read the same plan.
import type { FaultSpec } from '../../ports/faults';
import { emailIdempotencyKey, onboardingWorkflowId } from '../../temporal/workflows/onboarding.contract';
import { paymentWorkflowId } from '../../temporal/workflows/payment.contract';
import { uid } from '../../test-support/ids';

/** plain: no signal, all six emails; activated: a feature signal early; subscribed: a subscription mid-trial; terminated: by the console. */
export type TrialKind = 'plain' | 'activated' | 'subscribed' | 'terminated';
export const SAGA_KINDS = ['success', 'decline', 'invalid_seller', 'provider_timeout', 'lost_ack', 'failing_compensation'] as const;
export type SagaKind = (typeof SAGA_KINDS)[number];

export interface TrialPlan {
  kind: TrialKind;
  userId: string;
  workflowId: string;
  email: string;
  /** The batch it starts in: one batch per worker life, so every kill finds work under way. */
  batch: number;
  /** Its signal (or termination) goes through the console's HTTP API rather than a Temporal client. */
  viaConsole: boolean;
  /** When its signal is sent, in trial days after the start. */
  signalAfterDays: number;
  faults: FaultSpec[];
}

export interface SagaPlan {
  kind: SagaKind;
  orderId: string;
  workflowId: string;
  amountCents: number;
  batch: number;
  faults: FaultSpec[];
}

export interface ChaosPlan {
  runId: string;
  trials: TrialPlan[];
  sagas: SagaPlan[];
  batches: number;
}

function sagaFaults(kind: SagaKind, orderId: string): FaultSpec[] {
  const on = (operation: FaultSpec['operation'], mode: FaultSpec['mode'], times?: number): FaultSpec => ({ operation, mode, target: orderId, times: times ?? null });
  switch (kind) {
    case 'success': return [];
    case 'decline': return [on('charge', 'decline')];
    case 'invalid_seller': return [on('transfer', 'invalid_account')];
    case 'provider_timeout': return [on('charge', 'timeout')];
    // The provider did it, the answer was lost: the retry must find the same charge and transfer.
    case 'lost_ack': return [on('charge', 'lost_answer', 1), on('transfer', 'lost_answer', 1)];
    // Insurance refused, then the transfer reversal never answers: the refund still runs, an incident opens.
    case 'failing_compensation': return [on('bill_insurance', 'reject'), on('reverse_transfer', 'timeout')];
  }
}

/** `trials` and `sagas` spread over `batches` batches; the first batch holds the console's targets. */
export function makeChaosPlan(sizes: { trials: number; sagas: number; batches: number }): ChaosPlan {
  const runId = uid('chaos').slice(6);
  const batchOf = (i: number, n: number) => Math.min(sizes.batches - 1, Math.floor((i * sizes.batches) / n));
  const trialKind = (i: number): TrialKind => (['subscribed', 'plain', 'activated', 'plain', 'subscribed', 'plain', 'plain', 'plain'] as const)[i % 8]!;
  const trials: TrialPlan[] = Array.from({ length: sizes.trials }, (_, i) => {
    const userId = `u-${runId}-${i}`;
    const workflowId = onboardingWorkflowId(userId);
    const kind = i === 1 ? 'terminated' : trialKind(i);
    const faults: FaultSpec[] = [];
    // A few emails meet a provider that loses its answer or times out once: a legitimate second request.
    if (kind === 'plain' && i % 7 === 3) faults.push({ operation: 'mail.send', mode: 'lost_answer', target: emailIdempotencyKey(workflowId, 'mi-parcours'), times: 1 });
    if (kind === 'plain' && i % 7 === 5) faults.push({ operation: 'mail.send', mode: 'timeout', target: emailIdempotencyKey(workflowId, 'guide-démarrage'), times: 1 });
    return {
      kind,
      userId,
      workflowId,
      email: `${userId}@chaos.example.test`,
      batch: batchOf(i, sizes.trials),
      // Indices 0, 1 and 2 sit in the first batch: a subscription, the termination and a feature signal by the console.
      viaConsole: i <= 2,
      signalAfterDays: kind === 'activated' ? 0.3 : kind === 'subscribed' ? 2 + (i % 9) : i === 1 ? 2 : 0,
      faults,
    };
  });
  const sagas: SagaPlan[] = Array.from({ length: sizes.sagas }, (_, i) => {
    const orderId = `cmd-${runId}-${i}`;
    const kind = SAGA_KINDS[i % SAGA_KINDS.length]!;
    return {
      kind,
      orderId,
      workflowId: paymentWorkflowId(orderId),
      amountCents: 10_000 + (i % 50) * 137,
      batch: batchOf(i, sizes.sagas),
      faults: sagaFaults(kind, orderId),
    };
  });
  return { runId, trials, sagas, batches: sizes.batches };
}
