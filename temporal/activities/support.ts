// Small helpers shared by the activities: heartbeats while a provider call runs, the
// attempt number, and the mapping from provider errors to Temporal failures.
import { ApplicationFailure } from '@temporalio/common';
import { asyncLocalStorage } from '@temporalio/activity';
import {
  CARTE_DÉCLINÉE,
  CARTE_DÉCLINÉE_PERMANENTE,
  COMPTE_VENDEUR_INVALIDE,
  CONFLIT_IDEMPOTENCE,
  OPÉRATION_REFUSÉE,
} from '../workflows/failure-types';
import { GatewayError } from '../../ports/payment-gateway';

const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Heartbeats while `fn` runs, so a worker that dies mid-call is noticed after the
 * heartbeat timeout (seconds) rather than the start-to-close timeout. Outside an activity
 * (a direct call in a test) it just runs `fn`.
 */
export async function withHeartbeat<T>(fn: () => Promise<T>): Promise<T> {
  const context = asyncLocalStorage.getStore();
  if (!context) return fn();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

export function currentAttempt(): number {
  return asyncLocalStorage.getStore()?.info.attempt ?? 1;
}

/** Definite provider answers become non-retryable failures with the seed's types; the rest is retried. */
export function gatewayFailure(error: unknown): Error {
  if (!(error instanceof GatewayError)) return error instanceof Error ? error : new Error(String(error));
  const details = { code: error.code ?? null, declineCode: error.declineCode ?? null };
  switch (error.kind) {
    case 'card_declined_permanent':
      return ApplicationFailure.nonRetryable(error.message, CARTE_DÉCLINÉE_PERMANENTE, details);
    case 'card_declined':
      // The provider replays the same decline for the same idempotency key: a retry would only repeat it.
      return ApplicationFailure.nonRetryable(error.message, CARTE_DÉCLINÉE, details);
    case 'invalid_account':
      return ApplicationFailure.nonRetryable(error.message, COMPTE_VENDEUR_INVALIDE, details);
    case 'idempotency_conflict':
      return ApplicationFailure.nonRetryable(error.message, CONFLIT_IDEMPOTENCE, details);
    case 'rejected':
      return ApplicationFailure.nonRetryable(error.message, OPÉRATION_REFUSÉE, details);
    case 'transient':
      return ApplicationFailure.retryable(error.message, 'ErreurFournisseurTransitoire', details);
  }
}
