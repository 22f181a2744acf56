// One Prisma client per process, created on first use, and the node-postgres pool it runs on.
import type pg from 'pg';
import { createPgPool, createPrismaClient, type Db } from '../../prisma/db';
import { env } from './env.server';

const g = globalThis as unknown as { __vigieDb?: Db; __vigiePgPool?: pg.Pool };
export function db(): Db {
  g.__vigieDb ??= createPrismaClient(env().DATABASE_URL, { pool: pgPool() });
  return g.__vigieDb;
}

/**
 * The Prisma client's own pool, for the few reads on a page's critical path that a named statement
 * answers faster than a Prisma query (a 50-id lookup: 0.8 ms against 2.2 ms, docs/performance.md).
 * Everything else goes through db().
 */
export function pgPool(): pg.Pool {
  g.__vigiePgPool ??= createPgPool({ connectionString: env().DATABASE_URL, max: 10 }, 'prisma');
  return g.__vigiePgPool;
}

/** Text to match as typed in a LIKE pattern (and Prisma's contains / startsWith, which pass `%` and `_` through). */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, '\\$&');
