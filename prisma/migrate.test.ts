import { cp, mkdtemp, mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../scripts/lib/stack';
import { ensureDatabase, migrate, MigrationChecksumError } from './migrate';

const url = new URL(process.env.DATABASE_URL!);
url.pathname = `/vigie_migrate_test_${process.pid}`;
const scratchUrl = url.toString();
url.pathname = `/vigie_migrate_storage_test_${process.pid}`;
const storageUrl = url.toString();
afterAll(() => Promise.all([dropDatabase(scratchUrl), dropDatabase(storageUrl)]));

describe('migration runner', () => {
  it('applies pending migrations once, records them like Prisma, and refuses an edited one', async () => {
    await ensureDatabase(scratchUrl);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vigie-mig-'));
    await mkdir(path.join(dir, '001_a'));
    await writeFile(path.join(dir, '001_a', 'migration.sql'), 'CREATE TABLE a (id int);');
    expect(await migrate(scratchUrl, dir)).toEqual({ applied: ['001_a'], alreadyApplied: [] });

    await mkdir(path.join(dir, '002_b'));
    await writeFile(path.join(dir, '002_b', 'migration.sql'), 'CREATE TABLE b (id int);');
    // Two runners at once: the advisory lock lets one apply, the other finds it done.
    const [r1, r2] = await Promise.all([migrate(scratchUrl, dir), migrate(scratchUrl, dir)]);
    expect([...r1.applied, ...r2.applied]).toEqual(['002_b']);

    const client = new pg.Client({ connectionString: scratchUrl });
    await client.connect();
    const { rows } = await client.query('SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations ORDER BY migration_name');
    await client.end();
    expect(rows.map((r) => r.migration_name)).toEqual(['001_a', '002_b']);
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);

    await writeFile(path.join(dir, '001_a', 'migration.sql'), 'CREATE TABLE a (id bigint);');
    await expect(migrate(scratchUrl, dir)).rejects.toBeInstanceOf(MigrationChecksumError);
  });

  it('rolls back a failing migration and records nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vigie-mig-'));
    await mkdir(path.join(dir, '001_bad'));
    await writeFile(path.join(dir, '001_bad', 'migration.sql'), 'CREATE TABLE c (id int); SELECT * FROM no_such_table;');
    await expect(migrate(scratchUrl, dir)).rejects.toThrow(/001_bad failed/);
    const client = new pg.Client({ connectionString: scratchUrl });
    await client.connect();
    const { rowCount } = await client.query(`SELECT 1 FROM pg_tables WHERE tablename = 'c'`);
    await client.end();
    expect(rowCount).toBe(0);
  });
});

describe('20261203000000_english_storage', () => {
  it('renames the order columns and rewrites the French saga statuses of existing rows; the journal keeps its French', async () => {
    const real = fileURLToPath(new URL('./migrations', import.meta.url));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vigie-mig-'));
    const STORAGE = '20261203000000_english_storage';
    for (const name of (await readdir(real)).filter((n) => n < STORAGE)) await cp(path.join(real, name), path.join(dir, name), { recursive: true });
    await ensureDatabase(storageUrl);
    await migrate(storageUrl, dir);
    const client = new pg.Client({ connectionString: storageUrl });
    await client.connect();
    try {
      const french = ['en_cours', 'réussie', 'compensée', 'compensation_incomplète', 'échouée'];
      for (const [n, status] of french.entries()) {
        await client.query(
          `INSERT INTO payment_sagas (commande_id, tenant_id, workflow_id, buyer_id, seller_id, total_cents, seller_cents, commission_cents, insurance_cents, status)
           VALUES ($1, 't', $2, 'b', 's', 100, 88, 12, 1, $3)`,
          [`C${n}`, `payment-C${n}`, status],
        );
      }
      await client.query(
        `INSERT INTO finance_incidents (id, idempotency_key, tenant_id, commande_id, workflow_id, severity, saga_status, original_error, compensation_journal, state)
         VALUES (gen_random_uuid(), 'incident-C3', 't', 'C3', 'payment-C3', 'high', 'compensation_incomplète', 'x', '[{"statut": "échouée"}]', '{}')`,
      );
      await cp(path.join(real, STORAGE), path.join(dir, STORAGE), { recursive: true });
      expect((await migrate(storageUrl, dir)).applied).toEqual([STORAGE]);

      const sagas = await client.query('SELECT order_id, status FROM payment_sagas ORDER BY order_id');
      expect(sagas.rows.map((r) => r.status)).toEqual(['running', 'succeeded', 'compensated', 'compensation_incomplete', 'failed']);
      const incident = await client.query('SELECT order_id, saga_status, compensation_journal FROM finance_incidents');
      expect(incident.rows).toEqual([{ order_id: 'C3', saga_status: 'compensation_incomplete', compensation_journal: [{ statut: 'échouée' }] }]);
      const left = await client.query(
        `SELECT table_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'commande_id'
         UNION ALL SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%commande%'`,
      );
      expect(left.rows).toEqual([]);
      // The CHECKs now refuse the French values, whatever writes them.
      await expect(client.query(`UPDATE payment_sagas SET status = 'réussie' WHERE order_id = 'C0'`)).rejects.toThrow(/payment_sagas_status_check/);
      await expect(client.query(`UPDATE finance_incidents SET saga_status = 'compensée'`)).rejects.toThrow(/finance_incidents_saga_status_check/);
    } finally {
      await client.end();
    }
  });
});
