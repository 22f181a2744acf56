// Dropped connections (a restart, a failover, pg_terminate_backend) must not kill the process:
// every pooled client has an error listener from birth, and the next query reconnects.
import { afterAll, describe, expect, it } from 'vitest';
import { uid } from '../test-support/ids';
import { createPgPool, createPrismaClient } from './db';

const url = (app: string) => {
  const u = new URL(process.env.DATABASE_URL!);
  u.searchParams.set('application_name', app);
  return u.toString();
};
const admin = createPgPool({ connectionString: process.env.DATABASE_URL!, max: 1 }, 'test-admin');
afterAll(() => admin.end());

const terminate = async (app: string) =>
  (await admin.query<{ n: string }>('SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity WHERE application_name = $1', [app])).rows[0]!.n;

describe('PostgreSQL pools', () => {
  it('give every client an error listener as soon as it connects', async () => {
    const pool = createPgPool({ connectionString: process.env.DATABASE_URL!, max: 3 });
    const listeners: number[] = [];
    pool.on('connect', (client) => listeners.push(client.listenerCount('error')));
    await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.05)')));
    await pool.end();
    expect(listeners).toHaveLength(3);
    expect(listeners.every((n) => n >= 1)).toBe(true);
  });

  it('survive their connections being terminated mid-work, with no uncaught error, and answer again', async () => {
    const app = uid('vigie-drop');
    const db = createPrismaClient(url(app), { max: 4 });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      await db.$queryRaw`SELECT 1`;
      // Transactions keep taking connections from the pool while every connection of this client
      // is killed again and again: a client handed out before its user listens for errors is hit too.
      let stop = false;
      const load = Array.from({ length: 8 }, async () => {
        let failed = 0;
        while (!stop) {
          await db.$transaction(async (tx) => { await tx.$queryRaw`SELECT 1`; }).catch(() => failed++);
        }
        return failed;
      });
      let killed = 0;
      const until = Date.now() + 2_000;
      while (Date.now() < until) {
        killed += Number(await terminate(app));
        await new Promise((r) => setTimeout(r, 20));
      }
      stop = true;
      const failures = (await Promise.all(load)).reduce((a, b) => a + b, 0);
      expect(killed).toBeGreaterThan(0);
      expect(failures).toBeGreaterThan(0);
      // Still alive, and the next query gets a new connection.
      expect(await db.$queryRaw<Array<{ ok: number }>>`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await db.$disconnect();
    }
  });
});
