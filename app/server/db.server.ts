// One Prisma client per process, created on first use.
import { createPrismaClient, type Db } from '../../prisma/db';
import { env } from './env.server';

const g = globalThis as unknown as { __vigieDb?: Db };
export function db(): Db {
  g.__vigieDb ??= createPrismaClient(env().DATABASE_URL);
  return g.__vigieDb;
}
