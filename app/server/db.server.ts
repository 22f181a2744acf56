// One Prisma client per process, created on first use.
import { createPrismaClient, type Db } from '../../prisma/db';
import { env } from './env.server';

const g = globalThis as unknown as { __vigieDb?: Db };
export function db(): Db {
  g.__vigieDb ??= createPrismaClient(env().DATABASE_URL);
  return g.__vigieDb;
}

/** Text to match as typed in a LIKE pattern (and Prisma's contains / startsWith, which pass `%` and `_` through). */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, '\\$&');
