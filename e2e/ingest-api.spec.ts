// The ingestion API over HTTP against the built console: refused batches store nothing,
// resent ones store nothing twice (checked in PostgreSQL afterwards).
import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { makeTenant, testDb, uid } from '../test-support/factories';
import { checkoutEvent, makeApiKey } from './support/ingest';

const post = (request: APIRequestContext, path: string, key: string | null, data: unknown) =>
  request.post(path, {
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    data: typeof data === 'string' ? data : JSON.stringify(data),
  });

test('malformed, oversized, duplicated and wrongly keyed batches are refused or deduplicated', async ({ request }) => {
  const tenant = await makeTenant('Api');
  const key = await makeApiKey(tenant.id);
  const sessionId = uid('api');
  const good = [checkoutEvent({ sessionId }), checkoutEvent({ sessionId, state: 'livraison', eventType: 'ALLER_LIVRAISON' })];

  const malformed = await post(request, '/api/v1/checkout-events', key.raw, { events: [...good, { ...checkoutEvent({ sessionId }), eventType: undefined }] });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error).toBe('events[2].eventType: Required');

  const oversized = await post(request, '/api/v1/checkout-events', key.raw, { events: [checkoutEvent({ sessionId, eventType: 'x'.repeat(300_000) })] });
  expect(oversized.status()).toBe(413);
  const tooMany = await post(request, '/api/v1/checkout-events', key.raw, { events: Array.from({ length: 600 }, () => checkoutEvent({ sessionId })) });
  expect(tooMany.status()).toBe(413);

  const noKey = await post(request, '/api/v1/checkout-events', null, { events: good });
  expect(noKey.status()).toBe(401);
  const wrongKey = await post(request, '/api/v1/checkout-events', `vk_${tenant.id}_${'A'.repeat(43)}`, { events: good });
  expect(wrongKey.status()).toBe(401);
  expect((await wrongKey.json()).error).toContain('Unknown or revoked API key');

  expect(await testDb().checkoutTransition.count({ where: { tenantId: tenant.id } })).toBe(0);

  const first = await post(request, '/api/v1/checkout-events', key.raw, { events: good });
  expect(first.status()).toBe(202);
  expect(await first.json()).toEqual({ accepted: 2, duplicates: 0 });
  const again = await post(request, '/api/v1/checkout-events', key.raw, { events: good });
  expect(await again.json()).toEqual({ accepted: 0, duplicates: 2 });

  await testDb().apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
  const revoked = await post(request, '/api/v1/checkout-events', key.raw, { events: [checkoutEvent({ sessionId })] });
  expect(revoked.status()).toBe(401);

  const rows = await testDb().checkoutTransition.findMany({ where: { tenantId: tenant.id }, orderBy: { id: 'asc' } });
  expect(rows.map((r) => r.eventId)).toEqual(good.map((e) => e.eventId));
  const session = await testDb().checkoutSession.findUniqueOrThrow({ where: { tenantId_sessionId: { tenantId: tenant.id, sessionId } } });
  expect(session.state).toBe('livraison');
});

test('kanban errors: a bad kind is named, a resent batch is stored once', async ({ request }) => {
  const tenant = await makeTenant('ApiKanban');
  const key = await makeApiKey(tenant.id);
  const board = [{ id: 'a', titre: 'A', cartes: [{ id: 'k1', titre: 'K1' }] }, { id: 'b', titre: 'B', limite: 1, cartes: [] }];
  const event = {
    source: 'kanban', eventId: randomUUID(), sessionId: 's', machineId: 'dndKanban', version: '1.0.0', at: new Date().toISOString(),
    boardId: 'board-x', carteId: 'k1', colonneOriginale: 'a', colonneCible: 'b', indexCible: 0, erreur: 'Erreur 503', kind: 'error', board,
  };
  const bad = await post(request, '/api/v1/kanban-errors', key.raw, { events: [{ ...event, kind: 'boom' }] });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatch(/^events\[0\]\.kind: /);
  expect(await (await post(request, '/api/v1/kanban-errors', key.raw, { events: [event] })).json()).toEqual({ accepted: 1, duplicates: 0 });
  expect(await (await post(request, '/api/v1/kanban-errors', key.raw, { events: [event] })).json()).toEqual({ accepted: 0, duplicates: 1 });
  expect(await testDb().kanbanSaveError.count({ where: { tenantId: tenant.id } })).toBe(1);
});
