import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTemporalClient } from '../../temporal/config';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/search-attributes';

describe('test stack', () => {
  it('gives every test a migrated database', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`);
    await client.end();
    expect(rows.map((r) => r.migration_name)).toContain('20261124000000_core');
  });

  it('gives every test a Temporal namespace with the custom search attributes', async () => {
    const client = await createTemporalClient();
    const res = await client.connection.operatorService.listSearchAttributes({ namespace: client.options.namespace });
    expect(Object.keys(res.customAttributes)).toEqual(expect.arrayContaining(ALL_SEARCH_ATTRIBUTES.map((k) => k.name)));
    await client.connection.close();
  });
});
