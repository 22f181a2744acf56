// The fallback for a machine without PostgreSQL at 127.0.0.1:5432: the embedded server starts
// (as root too, as CI runs), answers, and keeps its data across a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort, startEmbeddedPostgres } from './stack';

describe('embedded PostgreSQL fallback', () => {
  it('initialises, answers, and keeps its data across a restart, whoever runs it', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'vigie-embedded-'));
    const dir = path.join(parent, 'data', 'postgres');
    const port = await freePort();
    let dataDir: string | undefined;
    try {
      let handle = await startEmbeddedPostgres(dir, port, 'postgres');
      dataDir = handle.dataDir;
      const query = async (sql: string) => {
        const client = new pg.Client({ connectionString: handle.url });
        await client.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          await client.end();
        }
      };
      await query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
      await handle.stop();
      handle = await startEmbeddedPostgres(dir, port, 'postgres');
      expect(await query('SELECT n FROM kept')).toEqual([{ n: 42 }]);
      await handle.stop();
    } finally {
      rmSync(parent, { recursive: true, force: true });
      // As root the data may live outside `dir` (its parent is private here): remove it too.
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
