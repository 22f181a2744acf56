// Where `npm start` may write its demo data, and the flags that turn the demo off, rebuild it or
// let it go elsewhere. The demo's own places are the ones `npm start` chooses when nothing is
// set: the database `vigie` on this machine's PostgreSQL (127.0.0.1:5432) or on the embedded
// one (:54329), and the namespace `vigie` of the Temporal dev server on 127.0.0.1:7233. Demo
// data (logins with a published password, fake trials and payments, injected provider faults)
// goes nowhere else unless --demo-anywhere says so.
import { parseArgs } from 'node:util';
import type { TemporalEnv } from '../../temporal/config';
import { DEV_TEMPORAL_PORT, EMBEDDED_PG_PORT, LOCAL_PG } from './stack';

export interface StartFlags {
  /** Demo data and the background simulator (default on; --no-demo turns both off). */
  demo: boolean;
  /** --reset-demo: delete the demo tenants' data and workflows, then seed again. */
  resetDemo: boolean;
  /** --demo-anywhere: write demo data even where DATABASE_URL / TEMPORAL_ADDRESS point elsewhere. */
  demoAnywhere: boolean;
}

export const START_USAGE = 'usage: npm start [-- --no-demo | --reset-demo] [--demo-anywhere]';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseStartFlags(argv: string[]): StartFlags {
  let values: Record<string, boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'no-demo': { type: 'boolean' }, 'reset-demo': { type: 'boolean' }, 'demo-anywhere': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (${START_USAGE})`);
  }
  if (values['no-demo'] && values['reset-demo']) throw new UsageError(`--no-demo and --reset-demo contradict each other (${START_USAGE})`);
  return { demo: !values['no-demo'], resetDemo: Boolean(values['reset-demo']), demoAnywhere: Boolean(values['demo-anywhere']) };
}

export type TemporalTarget = Pick<TemporalEnv, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'> & Partial<Pick<TemporalEnv, 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CERT'>>;

export interface DemoTarget {
  databaseUrl: string;
  temporal: TemporalTarget;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const DEMO_DATABASE = decodeURIComponent(new URL(LOCAL_PG).pathname.slice(1));
const DEMO_PG_PORTS = [Number(new URL(LOCAL_PG).port), EMBEDDED_PG_PORT];
export const DEMO_NAMESPACE = 'vigie';

/** The target `npm start` would choose from this environment: what is set, else its defaults. */
export function startTarget(env: Record<string, string | undefined>): DemoTarget {
  return {
    databaseUrl: env.DATABASE_URL ?? LOCAL_PG,
    temporal: {
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS ?? `127.0.0.1:${DEV_TEMPORAL_PORT}`,
      TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE ?? DEMO_NAMESPACE,
      TEMPORAL_API_KEY: env.TEMPORAL_API_KEY,
      TEMPORAL_TLS: env.TEMPORAL_TLS as 'true' | 'false' | undefined,
      TEMPORAL_TLS_CERT: env.TEMPORAL_TLS_CERT,
    },
  };
}

/** Why the target is not the demo's own database and Temporal namespace; null when it is. Names no password. */
export function demoTargetProblem(t: DemoTarget): string | null {
  let db: URL;
  try {
    db = new URL(t.databaseUrl);
  } catch {
    return 'DATABASE_URL is not a URL';
  }
  const dbPort = Number(db.port || 5432);
  const dbName = decodeURIComponent(db.pathname.slice(1));
  if (!LOOPBACK.has(db.hostname) || !DEMO_PG_PORTS.includes(dbPort) || dbName !== DEMO_DATABASE) {
    return `DATABASE_URL names ${db.hostname}:${dbPort}/${dbName}, not the demo's database (${DEMO_DATABASE} on 127.0.0.1:${DEMO_PG_PORTS.join(' or :')})`;
  }
  const address = t.temporal.TEMPORAL_ADDRESS;
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  if (!LOOPBACK.has(host) || Number(address.slice(colon + 1)) !== DEV_TEMPORAL_PORT) {
    return `TEMPORAL_ADDRESS is ${address}, not the demo's Temporal dev server (127.0.0.1:${DEV_TEMPORAL_PORT})`;
  }
  if (t.temporal.TEMPORAL_API_KEY || t.temporal.TEMPORAL_TLS_CERT || t.temporal.TEMPORAL_TLS === 'true') {
    return 'a Temporal API key or TLS is configured, which the local dev server does not use';
  }
  if (t.temporal.TEMPORAL_NAMESPACE !== DEMO_NAMESPACE) {
    return `TEMPORAL_NAMESPACE is ${t.temporal.TEMPORAL_NAMESPACE}, not the demo's namespace (${DEMO_NAMESPACE})`;
  }
  return null;
}

export class DemoTargetRefused extends Error {
  override name = 'DemoTargetRefused';
}

/** Throws, before anything is connected to or written, unless the target is the demo's or `anywhere` is set. */
export function assertDemoTarget(t: DemoTarget, anywhere = false) {
  const problem = demoTargetProblem(t);
  if (problem && !anywhere) {
    throw new DemoTargetRefused(`refusing to write demo data: ${problem}. Pass --demo-anywhere to write it there anyway, or --no-demo to start without it.`);
  }
}
