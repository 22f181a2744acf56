// Real services for the unit and integration tests: a fresh PostgreSQL database and a
// Temporal dev server. `npm test` starts them once and passes them in; a bare
// `npx vitest` starts its own here and stops them afterwards.
import { ensureDatabase, migrate } from '../../prisma/migrate';
import { provisionTemporal } from '../../temporal/provision';
import { loadTemporalEnv } from '../../temporal/config';
import { dropDatabase, ensurePostgres, freePort, startTemporalDevServer } from '../lib/stack';

export default async function setup() {
  const cleanups: Array<() => Promise<void>> = [];
  if (!process.env.VIGIE_TEST_STACK) {
    const pgHandle = await ensurePostgres('postgres');
    const url = new URL(pgHandle.url);
    url.pathname = `/vigie_test_${process.pid}_${Date.now()}`;
    process.env.DATABASE_URL = url.toString();
    await ensureDatabase(process.env.DATABASE_URL);
    await migrate(process.env.DATABASE_URL);
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'vigie';
    const temporal = await startTemporalDevServer({ port: await freePort(), namespace });
    process.env.TEMPORAL_ADDRESS = temporal.address;
    process.env.TEMPORAL_NAMESPACE = namespace;
    await provisionTemporal(loadTemporalEnv());
    const dbUrl = process.env.DATABASE_URL;
    cleanups.push(temporal.stop, () => dropDatabase(dbUrl), pgHandle.stop);
  }
  return async () => {
    for (const c of cleanups) await c().catch((e) => console.error('cleanup failed:', e));
  };
}
