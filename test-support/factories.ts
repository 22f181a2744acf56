// Test data made directly in the database, and sessions created without the login form
// (the login form itself is exercised once, in foundation.spec.ts).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { BrowserContext } from '@playwright/test';
import { createPrismaClient, type Db } from '../prisma/db';
import type { Role } from '../app/server/permissions';
import type { DuréesOnboarding } from '../temporal/workflows/onboarding';

let client: Db | undefined;
export function testDb(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run e2e tests through `npm test`');
  client ??= createPrismaClient(url, { max: 3 });
  return client;
}

export const uid = () => randomUUID().slice(0, 8);

export async function makeTenant(name = 'Tenant') {
  const id = `t-${uid()}`;
  return testDb().tenant.create({ data: { id, name: `${name} ${id}` } });
}

export async function makeStaff(memberships: Record<string, Role>, password = `pw-${uid()}-${uid()}`) {
  const email = `staff-${uid()}@test.vigie`;
  const user = await testDb().staffUser.create({
    data: {
      email,
      name: `Staff ${email.slice(6, 14)}`,
      passwordHash: await hash(password),
      memberships: { create: Object.entries(memberships).map(([tenantId, role]) => ({ tenantId, role })) },
    },
  });
  return { ...user, password };
}

/** Signs a staff member in by writing a session row and setting its cookie. */
export async function signIn(context: BrowserContext, userId: string, tenantId: string, baseURL: string) {
  const token = randomBytes(32).toString('base64url');
  await testDb().session.create({
    data: { tokenHash: createHash('sha256').update(token).digest('hex'), userId, tenantId, expiresAt: new Date(Date.now() + 3600_000) },
  });
  // Remix cookies carry base64(JSON) of their value.
  const value = encodeURIComponent(Buffer.from(JSON.stringify(token)).toString('base64'));
  await context.addCookies([{ name: 'vigie_session', value, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
}

/** A trial user of the tenant with a running onboarding workflow on the production schedule. */
export async function makeTrial(tenantId: string, durées?: Partial<DuréesOnboarding>) {
  const { createTemporalClient } = await import('../temporal/config');
  const { startOnboarding } = await import('../temporal/starters');
  const id = `u-${uid()}`;
  const user = await testDb().trialUser.create({ data: { id, tenantId, email: `${id}@example.test`, name: `Trial ${id}` } });
  const client = await createTemporalClient();
  await startOnboarding(client, { tenantId, utilisateurId: id, email: user.email, prénom: 'Test', planEssaiId: 'trial-14j', durées });
  await client.connection.close();
  return { ...user, workflowId: `onboarding-${id}` };
}
