// The console's logger (ops/log/logger.js): JSON lines, each with the id of the request being
// served. Actions log one line each: who did what to which target, and how it ended.
import type { DestinationStream, Logger } from 'pino';
import { createLogger } from '../../ops/log/logger.js';

const g = globalThis as unknown as { __vigieConsoleLog?: Logger };

/** The console's logger, made on first use. */
export function log(): Logger {
  g.__vigieConsoleLog ??= createLogger('console');
  return g.__vigieConsoleLog;
}

/** Tests read the console's lines from a stream of their own. */
export function logTo(destination: DestinationStream) {
  g.__vigieConsoleLog = createLogger('console', { destination });
}
