import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../scripts/lib/stack';
import { ensureDatabase, migrate, MigrationChecksumError } from './migrate';

const url = new URL(process.env.DATABASE_URL!);
url.pathname = `/vigie_migrate_test_${process.pid}`;
const scratchUrl = url.toString();
afterAll(() => dropDatabase(scratchUrl));

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
