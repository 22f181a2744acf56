// A throwaway database on a running PostgreSQL server: created under a name no other run can
// hold, migrated, and dropped by the caller at the end. For the processes that own a whole run
// (scripts/test.ts, the vitest global setup in scripts/test-env/, the benches), hence here in
// scripts/lib/ beside ensurePostgres rather than in test-support/: test files never make one,
// they share the database their run made (prisma/migrate.test.ts, which tests the migration
// runner itself, builds its own on purpose).
import { ensureDatabase, migrate } from '../../prisma/migrate';
import { uid } from '../../test-support/ids';
import { dropDatabase } from './stack';

export interface ScratchDatabase {
  url: string;
  /** The database name: `<prefix>_<pid>_<random>`. */
  name: string;
  drop(): Promise<void>;
}

/** `serverUrl`: any database URL on the server (ensurePostgres's handle.url); `prefix`: e.g. `vigie_bench_ingest`. */
export async function scratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${uid()}`;
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await ensureDatabase(url);
  const drop = () => dropDatabase(url);
  try {
    await migrate(url);
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { url, name, drop };
}
