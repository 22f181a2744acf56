import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient, Prisma } from './db';

// A model whose SQL migration is missing or differs (table or column) fails its findFirst:
// Prisma selects every scalar column by name.
const db = createPrismaClient(process.env.DATABASE_URL!, { max: 2 });
afterAll(() => db.$disconnect());

describe('schema.prisma and the SQL migrations agree', () => {
  const models = Object.values(Prisma.ModelName);
  it('maps every model to a table the migrations create, and every table to a model', async () => {
    const schema = readFileSync(fileURLToPath(new URL('./schema.prisma', import.meta.url)), 'utf8');
    const mapped = [...schema.matchAll(/^model (\w+) \{[\s\S]*?@@map\("([^"]+)"\)[\s\S]*?^\}/gm)].map((m) => [m[1], m[2]] as const);
    expect(mapped.map(([model]) => model).sort()).toEqual([...models].sort());
    const tables = await db.$queryRaw<Array<{ table_name: string }>>`
      SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`;
    expect(tables.map((t) => t.table_name).sort()).toEqual(mapped.map(([, table]) => table).sort());
  });
  for (const model of models) {
    it(`${model}: every column exists`, async () => {
      const delegate = (db as unknown as Record<string, { findFirst: () => Promise<unknown> }>)[model[0].toLowerCase() + model.slice(1)];
      await delegate.findFirst();
    });
  }
});

describe('audit log', () => {
  it('is append-only in the database itself', async () => {
    const row = await db.auditLog.create({
      data: { tenantId: 't-audit', actorEmail: 'a@test', action: 'test', targetType: 'x', targetId: '1', outcome: 'ok' },
    });
    await expect(db.auditLog.update({ where: { id: row.id }, data: { outcome: 'changed' } })).rejects.toThrow(/append-only/);
    await expect(db.auditLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    expect((await db.auditLog.findUnique({ where: { id: row.id } }))?.outcome).toBe('ok');
  });
});
