// The one way to build a Prisma client: Prisma 7's TypeScript client on node-postgres,
// so no Prisma engine binary is ever needed at run time.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client';

/**
 * A node-postgres pool whose every client has an error listener from the moment it connects.
 * A pooled client with no listener (handed out, not yet given one by its user) turns a dropped
 * connection — a restart, a failover, `pg_terminate_backend` — into an unhandled 'error' event
 * that kills the process. With one, the client is discarded and the next query reconnects.
 */
export function createPgPool(config: pg.PoolConfig, label = 'postgres'): pg.Pool {
  const pool = new pg.Pool(config);
  const report = (err: Error) => console.warn(`${label}: connection lost (${(err as { code?: string }).code ?? err.message}); it will be replaced`);
  pool.on('connect', (client) => client.on('error', report));
  pool.on('error', report);
  return pool;
}

/** `pool`: the client runs on this pool (and ends it on $disconnect) instead of its own. */
export function createPrismaClient(databaseUrl: string, opts: { max?: number; pool?: pg.Pool } = {}): PrismaClient {
  const pool = opts.pool ?? createPgPool({ connectionString: databaseUrl, max: opts.max ?? 10 }, 'prisma');
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
