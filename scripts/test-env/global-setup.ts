// Real services for the unit and integration tests: a fresh PostgreSQL database and a
// Temporal dev server. `npm test` starts them once and passes them in; a bare
// `npx vitest` starts its own here and stops them afterwards.
import { provisionTemporal } from '../../temporal/provision';
import { loadTemporalEnv } from '../../temporal/config';
import { ensurePostgres, freePort, startTemporalDevServer } from '../lib/stack';
import { scratchDatabase } from '../lib/scratch-database';

export default async function setup() {
  const cleanups: Array<() => Promise<void>> = [];
  if (!process.env.VIGIE_TEST_STACK) {
    const pgHandle = await ensurePostgres('postgres');
    const database = await scratchDatabase(pgHandle.url, 'vigie_test');
    process.env.DATABASE_URL = database.url;
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'vigie';
    const temporal = await startTemporalDevServer({ port: await freePort(), namespace });
    process.env.TEMPORAL_ADDRESS = temporal.address;
    process.env.TEMPORAL_NAMESPACE = namespace;
    await provisionTemporal(loadTemporalEnv());
    cleanups.push(temporal.stop, database.drop, pgHandle.stop);
  }
  return async () => {
    for (const c of cleanups) await c().catch((e) => console.error('cleanup failed:', e));
  };
}
