import { afterAll, describe, expect, it } from 'vitest';
import { makeStaff, testDb, uid } from '../../test-support/factories';
import { RateLimitedError, verifyLogin } from './auth.server';
import { db } from './db.server';
import { env } from './env.server';

// Each test signs in from its own addresses so that their failures never add up.
const address = () => `198.51.100.${uid()}`;
const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

afterAll(async () => {
  await db().$disconnect();
  await testDb().$disconnect();
});

describe('verifyLogin', () => {
  it('returns the user id for the right password, email case and spaces aside', async () => {
    const staff = await makeStaff({});
    expect(await verifyLogin(`  ${staff.email.toUpperCase()} `, staff.password, address())).toBe(staff.id);
  });

  it('answers a wrong password and an unknown account the same way: null, no hint', async () => {
    const staff = await makeStaff({});
    const wrongPassword = await verifyLogin(staff.email, `${staff.password}x`, address());
    const unknown = await verifyLogin(`nobody-${uid()}@test.vigie`, staff.password, address());
    expect(wrongPassword).toBeNull();
    expect(unknown).toBeNull();
  });

  it('a disabled account cannot sign in, even with its password', async () => {
    const staff = await makeStaff({});
    await db().staffUser.update({ where: { id: staff.id }, data: { disabledAt: new Date() } });
    expect(await verifyLogin(staff.email, staff.password, address())).toBeNull();
  });

  it('after the allowed failures for one account, even the right password is refused for a while', async () => {
    const { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MINUTES } = env();
    const staff = await makeStaff({});
    const bystander = await makeStaff({});
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      expect(await verifyLogin(staff.email, 'wrong password', address())).toBeNull();
    }
    const error = await rejection(verifyLogin(staff.email, staff.password, address()));
    expect(error).toBeInstanceOf(RateLimitedError);
    // Until the oldest counted failure leaves the window: just under the whole window here.
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(LOGIN_WINDOW_MINUTES * 60 - 60);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(LOGIN_WINDOW_MINUTES * 60);
    expect((error as RateLimitedError).message).not.toContain(staff.email);
    // Another account is not locked out by someone guessing this one.
    expect(await verifyLogin(bystander.email, bystander.password, address())).toBe(bystander.id);
  });

  it('limits one address trying many accounts, and only that address', async () => {
    const { LOGIN_MAX_FAILURES } = env();
    const staff = await makeStaff({});
    const sprayer = address();
    // Each account stays under its own limit; the address goes over its own (four times larger).
    for (let i = 0; i < LOGIN_MAX_FAILURES * 4; i++) {
      expect(await verifyLogin(`sprayed-${uid()}@test.vigie`, 'password123456', sprayer)).toBeNull();
    }
    expect(await rejection(verifyLogin(staff.email, staff.password, sprayer))).toBeInstanceOf(RateLimitedError);
    expect(await verifyLogin(staff.email, staff.password, address())).toBe(staff.id);
  });

  it('counts parallel attempts before checking the password: a burst of 15 wrong passwords verifies exactly the limit', async () => {
    const { LOGIN_MAX_FAILURES } = env();
    const staff = await makeStaff({});
    const results = await Promise.all(Array.from({ length: 15 }, () => rejection(verifyLogin(staff.email, 'wrong password', address()))));
    expect(results.filter((r) => r === null)).toHaveLength(LOGIN_MAX_FAILURES);
    expect(results.filter((r) => r instanceof RateLimitedError)).toHaveLength(15 - LOGIN_MAX_FAILURES);
    expect(await db().loginAttempt.count({ where: { key: `email:${staff.email}` } })).toBe(LOGIN_MAX_FAILURES);
  });

  it('holds the per-address limit under a parallel burst across accounts too', async () => {
    const { LOGIN_MAX_FAILURES } = env();
    const sprayer = address();
    const burst = LOGIN_MAX_FAILURES * 4 + 7;
    const results = await Promise.all(Array.from({ length: burst }, () => rejection(verifyLogin(`burst-${uid()}@test.vigie`, 'password123456', sprayer))));
    expect(results.filter((r) => r === null)).toHaveLength(LOGIN_MAX_FAILURES * 4);
    expect(await db().loginAttempt.count({ where: { key: `ip:${sprayer}` } })).toBe(LOGIN_MAX_FAILURES * 4);
  });

  it('failures older than the window no longer count', async () => {
    const { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MINUTES } = env();
    const staff = await makeStaff({});
    const at = new Date(Date.now() - (LOGIN_WINDOW_MINUTES + 1) * 60_000);
    await db().loginAttempt.createMany({
      data: Array.from({ length: LOGIN_MAX_FAILURES * 2 }, () => ({ key: `email:${staff.email}`, succeeded: false, at })),
    });
    expect(await verifyLogin(staff.email, staff.password, address())).toBe(staff.id);
  });
});
