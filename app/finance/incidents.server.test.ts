// The finance incident queue against the real PostgreSQL: assignment to members only, notes
// that nobody can rewrite, status changes that two people cannot both make, tenancy.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOrder, tenantContext, uid } from '../../test-support/factories';
import { db } from '../server/db.server';
import { assignableMembers, changeIncident, getIncident, listIncidents } from './incidents.server';
import type { Role } from '../server/permissions';

const tenantId = uid('t-inc');
const otherTenant = uid('t-inc');
const people: Record<string, { id: string; email: string }> = {};

async function member(name: string, role: Role, tenant = tenantId, disabled = false) {
  const email = `${uid(name)}@test.vigie`;
  const user = await db().staffUser.create({ data: { email, name, passwordHash: 'x', memberships: { create: { tenantId: tenant, role } } } });
  if (disabled) await db().$executeRaw`UPDATE memberships SET disabled_at = now() WHERE user_id = ${user.id}::uuid`;
  people[name] = { id: user.id, email };
  return user;
}

const ctx = (name: string, role: Role = 'finance', tenant = tenantId) => tenantContext(role, { tenant, staff: { ...people[name]!, name } });

async function incident(tenant = tenantId) {
  const { incidentId } = await makeOrder(tenant, {
    orderId: uid('CMI'), totalCents: 18_000, status: 'compensation_incomplete', at: new Date(),
    steps: [{ kind: 'charge' }, { kind: 'transfer', ledger: 'failed' }, { kind: 'refund', ledger: 'failed' }],
    incident: { severity: 'high', failedStep: 'virerVendeur', error: 'CompteVendeurInvalide: account invalid', compensations: [{ action: 'rembourserAcheteur', statut: 'échouée', erreur: 'refused' }] },
  });
  return incidentId!;
}

const key = () => randomUUID();

beforeAll(async () => {
  await db().tenant.createMany({ data: [{ id: tenantId, name: 'Incidents' }, { id: otherTenant, name: 'Other' }] });
  await member('fabien', 'finance');
  await member('alice', 'admin');
  await member('sam', 'support');
  await member('olga', 'oncall');
  await member('gone', 'finance', tenantId, true);
  await member('stranger', 'finance', otherTenant);
});

describe('finance incidents', () => {
  it('lists the members who can take an incident: active, in this tenant, with a role that reads payments', async () => {
    const names = (await assignableMembers(tenantId)).map((m) => m.name).sort();
    expect(names).toEqual(['alice', 'fabien', 'olga']);
  });

  it('is acknowledged, assigned, annotated and resolved, each step on the timeline and in the audit log', async () => {
    const id = await incident();
    expect(await changeIncident(ctx('fabien'), id, { op: 'acknowledge', idempotencyKey: key() })).toMatchObject({ ok: true, result: { message: 'Incident acknowledged.' } });
    expect(await changeIncident(ctx('fabien'), id, { op: 'assign', idempotencyKey: key(), assigneeId: people.olga!.id })).toMatchObject({ ok: true });
    expect(await changeIncident(ctx('fabien'), id, { op: 'note', idempotencyKey: key(), note: 'Called the seller: account being fixed.' })).toMatchObject({ ok: true });
    expect(await changeIncident(ctx('alice', 'admin'), id, { op: 'resolve', idempotencyKey: key(), reason: 'Refund retried and confirmed by the provider.' })).toMatchObject({ ok: true });

    const d = await getIncident(tenantId, id);
    expect(d.incident).toMatchObject({ status: 'resolved', assigneeId: people.olga!.id, acknowledgedAt: expect.any(String), resolvedAt: expect.any(String) });
    expect(d.events.map((e) => [e.kind, e.actorEmail, e.body])).toEqual([
      ['acknowledge', people.fabien!.email, null],
      ['assign', people.fabien!.email, null],
      ['note', people.fabien!.email, 'Called the seller: account being fixed.'],
      ['resolve', people.alice!.email, 'Refund retried and confirmed by the provider.'],
    ]);
    expect(d.events[1]!.assignee).toContain(people.olga!.email);
    const audit = await db().auditLog.findMany({ where: { tenantId, targetId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([['incident:acknowledge', 'ok'], ['incident:assign', 'ok'], ['incident:note', 'ok'], ['incident:resolve', 'ok']]);
    expect(audit[3]!.reason).toBe('Refund retried and confirmed by the provider.');

    // Resolved: notes still go in; nothing else changes.
    expect(await changeIncident(ctx('fabien'), id, { op: 'note', idempotencyKey: key(), note: 'Seller confirmed.' })).toMatchObject({ ok: true });
    expect(await changeIncident(ctx('fabien'), id, { op: 'assign', idempotencyKey: key(), assigneeId: people.fabien!.id })).toMatchObject({ ok: false, status: 409 });
    expect(await changeIncident(ctx('fabien'), id, { op: 'resolve', idempotencyKey: key(), reason: 'again' })).toMatchObject({ ok: false, status: 409, error: 'The incident is already resolved: it cannot be resolved.' });
  });

  it('resolves an open incident directly, acknowledging it on the way', async () => {
    const id = await incident();
    await changeIncident(ctx('fabien'), id, { op: 'resolve', idempotencyKey: key(), reason: 'Handled outside Vigie.' });
    const { incident: i } = await getIncident(tenantId, id);
    expect(i.status).toBe('resolved');
    expect(i.acknowledgedAt).toBe(i.resolvedAt);
  });

  it('assigns only to an active member whose role reads payments', async () => {
    const id = await incident();
    for (const who of ['sam', 'gone', 'stranger']) {
      const r = await changeIncident(ctx('fabien'), id, { op: 'assign', idempotencyKey: key(), assigneeId: people[who]!.id });
      expect(r, who).toMatchObject({ ok: false, status: 409, error: expect.stringContaining('not an active member') });
    }
    expect(await changeIncident(ctx('fabien'), id, { op: 'assign', idempotencyKey: key(), assigneeId: randomUUID() })).toMatchObject({ ok: false, status: 409 });
    expect((await getIncident(tenantId, id)).incident.assigneeId).toBeNull();
  });

  it('lets one of two people resolve at the same moment; the other is told it is done', async () => {
    const id = await incident();
    const [a, b] = await Promise.all([
      changeIncident(ctx('fabien'), id, { op: 'resolve', idempotencyKey: key(), reason: 'Fixed by Fabien.' }),
      changeIncident(ctx('alice', 'admin'), id, { op: 'resolve', idempotencyKey: key(), reason: 'Fixed by Alice.' }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ status: 409 });
    expect((await getIncident(tenantId, id)).events.filter((e) => e.kind === 'resolve')).toHaveLength(1);
  });

  it('acts once for the same request sent twice', async () => {
    const id = await incident();
    const k = key();
    await Promise.all([
      changeIncident(ctx('fabien'), id, { op: 'note', idempotencyKey: k, note: 'double click' }),
      changeIncident(ctx('fabien'), id, { op: 'note', idempotencyKey: k, note: 'double click' }),
    ]);
    expect((await getIncident(tenantId, id)).events.filter((e) => e.kind === 'note')).toHaveLength(1);
  });

  it('keeps notes append-only in the database itself', async () => {
    const id = await incident();
    await changeIncident(ctx('fabien'), id, { op: 'note', idempotencyKey: key(), note: 'first version' });
    const note = await db().financeIncidentEvent.findFirstOrThrow({ where: { incidentId: id, kind: 'note' } });
    await expect(db().financeIncidentEvent.update({ where: { id: note.id }, data: { body: 'rewritten' } })).rejects.toThrow(/append-only/);
    await expect(db().financeIncidentEvent.delete({ where: { id: note.id } })).rejects.toThrow(/append-only/);
    expect((await db().financeIncidentEvent.findUniqueOrThrow({ where: { id: note.id } })).body).toBe('first version');
  });

  it('shows and changes nothing of another tenant', async () => {
    const theirs = await incident(otherTenant);
    await expect(getIncident(tenantId, theirs)).rejects.toMatchObject({ status: 404 });
    await expect(changeIncident(ctx('fabien'), theirs, { op: 'resolve', idempotencyKey: key(), reason: 'not mine' })).rejects.toMatchObject({ status: 404 });
    expect((await db().financeIncident.findUniqueOrThrow({ where: { id: theirs } })).status).toBe('open');
    const mine = await listIncidents(ctx('fabien'), { status: 'all' });
    expect(mine.rows.some((r) => r.id === theirs)).toBe(false);
  });

  it('answers an id that is no uuid with the 404 of an unknown incident, on the page and on a change', async () => {
    for (const id of ['-1', 'null', "'; DROP TABLE tenants; --", '10000-01-01']) {
      await expect(getIncident(tenantId, id)).rejects.toMatchObject({ status: 404 });
      await expect(changeIncident(ctx('fabien'), id, { op: 'note', idempotencyKey: key(), note: 'nothing to note' })).rejects.toMatchObject({ status: 404 });
    }
  });

  it('pages from another tenant’s incident id exactly as from an unknown id: nothing of it leaks', async () => {
    await incident();
    const theirs = await incident(otherTenant);
    const fromTheirs = await listIncidents(ctx('fabien'), { status: 'all', before: theirs });
    const fromUnknown = await listIncidents(ctx('fabien'), { status: 'all', before: randomUUID() });
    expect(fromTheirs.rows).toEqual([]);
    expect(fromTheirs).toEqual(fromUnknown);
    // A real cursor of this tenant still pages.
    const first = await listIncidents(ctx('fabien'), { status: 'all' });
    const mineId = first.rows[0]!.id;
    expect((await listIncidents(ctx('fabien'), { status: 'all', before: mineId })).rows.map((r) => r.id)).not.toContain(mineId);
  });

  it('filters the queue by status, assignee and severity, with counts per status', async () => {
    const a = await incident();
    const b = await incident();
    await changeIncident(ctx('fabien'), a, { op: 'assign', idempotencyKey: key(), assigneeId: people.fabien!.id });
    const mineOpen = await listIncidents(ctx('fabien'), { status: 'open', assignee: 'me' });
    expect(mineOpen.rows.map((r) => r.id)).toContain(a);
    expect(mineOpen.rows.map((r) => r.id)).not.toContain(b);
    const unassigned = await listIncidents(ctx('fabien'), { status: 'open', assignee: 'none', severity: 'high' });
    expect(unassigned.rows.map((r) => r.id)).toContain(b);
    expect(unassigned.rows.map((r) => r.id)).not.toContain(a);
    expect(unassigned.counts.open).toBeGreaterThanOrEqual(2);
    expect(unassigned.counts.resolved).toBeGreaterThanOrEqual(1);
  });
});
