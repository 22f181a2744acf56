// The worker's logs through pino (ops/log/logger.js): the Temporal SDK's own lines and the
// activities' (each with workflowId, activityType, attempt and, when a console request caused
// it, requestId). An expected business outcome — a declined card, a refused email, a saga that
// compensated — is one `info` line naming the outcome, without a stack trace.
import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger as Pino } from 'pino';
import { BUSINESS_OUTCOMES } from './workflows/failure-types';

const METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The ApplicationFailure type of an error when it is a business outcome (duck-typed: workflow errors cross the sandbox). */
function businessOutcome(error: unknown): { type: string; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { type, message } = error as { type?: unknown; message?: unknown };
  return typeof type === 'string' && BUSINESS_OUTCOMES.includes(type) ? { type, message: String(message ?? '') } : null;
}

export class PinoSdkLogger implements Logger {
  constructor(private readonly pino: Pino) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}) {
    const { error, sdkComponent: _component, ...fields } = meta as { error?: unknown; sdkComponent?: unknown } & Record<string, unknown>;
    const outcome = businessOutcome(error);
    if (outcome && (message === 'Activity failed' || message === 'Workflow failed')) {
      this.pino.info({ ...fields, outcome: outcome.type, reason: outcome.message }, message === 'Activity failed' ? 'activity ended in a business outcome' : 'workflow ended in a business outcome');
      return;
    }
    // pino's error serializer writes the class name as `type`: an ApplicationFailure's own type goes beside it.
    const failureType = typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string' ? (error as { type: string }).type : undefined;
    this.pino[METHOD[level]](error === undefined ? fields : { ...fields, err: error, ...(failureType ? { failureType } : {}) }, message);
  }

  trace(message: string, meta?: LogMetadata) { this.log('TRACE', message, meta); }
  debug(message: string, meta?: LogMetadata) { this.log('DEBUG', message, meta); }
  info(message: string, meta?: LogMetadata) { this.log('INFO', message, meta); }
  warn(message: string, meta?: LogMetadata) { this.log('WARN', message, meta); }
  error(message: string, meta?: LogMetadata) { this.log('ERROR', message, meta); }
}
