// Demo data: idempotent, so `npm start` can run it every time.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash } from '@node-rs/argon2';
import { createPrismaClient, type Db } from './db';
import { DEMO_PASSWORD, DEMO_STAFF, DEMO_TENANTS, DEMO_TRIAL_USERS } from './demo-data';

export async function seedCore(db: Db) {
  for (const t of DEMO_TENANTS) {
    await db.tenant.upsert({ where: { id: t.id }, create: t, update: { name: t.name } });
  }
  const passwordHash = await hash(DEMO_PASSWORD);
  for (const s of DEMO_STAFF) {
    const user = await db.staffUser.upsert({
      where: { email: s.email },
      create: { email: s.email, name: s.name, passwordHash },
      update: {},
    });
    for (const [tenantId, role] of Object.entries(s.roles)) {
      await db.membership.upsert({
        where: { tenantId_userId: { tenantId, userId: user.id } },
        create: { tenantId, userId: user.id, role },
        update: {},
      });
    }
  }
  for (const u of DEMO_TRIAL_USERS) {
    await db.trialUser.upsert({ where: { id: u.id }, create: { ...u, tenantId: 'datasync' }, update: {} });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    process.exit(1);
  }
  const db = createPrismaClient(url);
  await seedCore(db);
  await db.$disconnect();
  console.log('seed: demo tenants, staff and trial users are in place');
}
