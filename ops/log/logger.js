// Vigie's structured logs, one JSON object per line (pino), for the console (server.js and the
// Remix routes) and the worker alike: `service`, `level`, `time` (ISO), `msg`, and the ids of what
// the line is about (`requestId`, `tenantId`, `workflowId`…). Plain JavaScript so that server.js,
// which runs before any build step, uses the same logger as the TypeScript code.
// LOG_LEVEL (default info) filters; LOG_FORMAT=pretty (set by `npm start`) prints lines for a
// person in a terminal instead (pino-pretty, in pino's own worker thread).
import pino from 'pino';
import { currentRequestId } from './request-id.js';

/**
 * @param {string} service "console" or "worker"
 * @param {{ destination?: import('pino').DestinationStream }} [opts] a stream to write to (tests)
 */
export function createLogger(service, opts = {}) {
  const options = {
    base: { service },
    level: process.env.LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Inside a console request, every line says which one.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  if (opts.destination) return pino(options, opts.destination);
  if (process.env.LOG_FORMAT === 'pretty') {
    // One line per entry for a person: an error's message is kept, its stack stays in the JSON logs.
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,err,service', singleLine: true, messageFormat: '{msg}{if err} — {err.message}{end}' } },
    });
  }
  return pino(options);
}
