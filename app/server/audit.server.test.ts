import { afterAll, describe, expect, it } from 'vitest';
import { makeTenant, makeTenantContext, testDb } from '../../test-support/factories';
import {
  AUDIT_CSV_HEADER, auditCsvStream, csvCell, listAuditPage, parseAuditQuery, recordAuditExport, type AuditFilters,
} from './audit.server';
import { db } from './db.server';

afterAll(async () => {
  await db().$disconnect();
  await testDb().$disconnect();
});

type Seed = { actorEmail?: string; action?: string; targetId?: string; outcome?: string; reason?: string | null; createdAt?: Date };

async function seed(tenantId: string, rows: Seed[]) {
  for (const r of rows) {
    await db().auditLog.create({
      data: {
        tenantId,
        actorEmail: r.actorEmail ?? 'alice@test.vigie',
        action: r.action ?? 'apikey:create',
        targetType: 'test',
        targetId: r.targetId ?? 'target',
        outcome: r.outcome ?? 'ok',
        reason: r.reason ?? null,
        ...(r.createdAt && { createdAt: r.createdAt }),
      },
    });
  }
}

function filters(query: Record<string, string>): AuditFilters {
  const parsed = parseAuditQuery(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.filters;
}

async function targets(tenantId: string, query: Record<string, string>, tz?: string) {
  return (await listAuditPage(tenantId, { ...filters(query), tz }, null)).rows.map((r) => r.targetId);
}

/** A strict RFC 4180 reader, to check that what we write reads back cell for cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** The export's text, BOM included (Response.text() would drop it). */
const readAll = async (stream: ReadableStream<Uint8Array>) =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());

describe('audit filters', () => {
  it('refuses malformed filters with a message naming the filter', () => {
    const error = (q: Record<string, string>) => {
      const parsed = parseAuditQuery(new URLSearchParams(q));
      return parsed.ok ? null : parsed.error;
    };
    expect(error({ from: '24/11/2026' })).toBe('Filter “from”: expected a date as YYYY-MM-DD (got “24/11/2026”).');
    expect(error({ to: '2026-02-30' })).toMatch(/^Filter “to”: expected a date as YYYY-MM-DD/);
    expect(error({ from: '2026-13-01' })).toMatch(/^Filter “from”: expected a date as YYYY-MM-DD/);
    expect(error({ from: '99999-01-01' })).toMatch(/^Filter “from”: expected a date as YYYY-MM-DD/);
    expect(error({ from: '2026-11-25', to: '2026-11-24' })).toMatch(/“from” is after “to”/);
    // Nineteen digits, beyond PostgreSQL's bigint: a 400, not a database error.
    expect(error({ before: '9999999999999999999' })).toMatch(/^Filter “before”: the paging cursor “before” must be a row id/);
    expect(error({ outcome: 'maybe' })).toMatch(/^Filter “outcome”: expected one of ok, failed, refused, pending, interrupted/);
    expect(error({ actor: 'x'.repeat(201) })).toMatch(/^Filter “actor”: use at most 200 characters/);
    expect(error({ before: '12abc' })).toMatch(/“before” must be a row id/);
    expect(parseAuditQuery(new URLSearchParams({ actor: '', from: '', outcome: '' }))).toEqual({ ok: true, filters: {}, before: null });
  });

  it('filters by actor, action, target, outcome and whole days (UTC, or the operator’s zone), within the tenant only', async () => {
    const tenant = await makeTenant('Audit');
    const other = await makeTenant('Other');
    await seed(tenant.id, [
      { targetId: 'a1', actorEmail: 'Alice@test.vigie', action: 'apikey:create', createdAt: new Date('2026-11-20T10:00:00Z') },
      { targetId: 'a2', actorEmail: 'bob@test.vigie', action: 'apikey:revoke', outcome: 'failed', createdAt: new Date('2026-11-21T23:59:59.999Z') },
      { targetId: 'wf-onboarding-42', actorEmail: 'bob@test.vigie', action: 'signal:onboardingComplété', createdAt: new Date('2026-11-22T00:00:00Z') },
      { targetId: 'a%b', action: 'staff:role' },
      { targetId: 'axxb', action: 'staff:role' },
    ]);
    await seed(other.id, [{ targetId: 'a1-other', actorEmail: 'alice@test.vigie' }]);

    expect(await targets(tenant.id, {})).toEqual(['axxb', 'a%b', 'wf-onboarding-42', 'a2', 'a1']);
    expect(await targets(tenant.id, { actor: 'ALICE' })).toEqual(['axxb', 'a%b', 'a1']);
    expect(await targets(tenant.id, { action: 'apikey:' })).toEqual(['a2', 'a1']);
    expect(await targets(tenant.id, { target: 'ONBOARDING' })).toEqual(['wf-onboarding-42']);
    expect(await targets(tenant.id, { outcome: 'failed' })).toEqual(['a2']);
    expect(await targets(tenant.id, { from: '2026-11-21', to: '2026-11-21' })).toEqual(['a2']);
    expect(await targets(tenant.id, { from: '2026-11-21' })).toEqual(['axxb', 'a%b', 'wf-onboarding-42', 'a2']);
    expect(await targets(tenant.id, { to: '2026-11-21' })).toEqual(['a2', 'a1']);
    // Days of the operator's zone: 22 November in Paris is 21 Nov 23:00 to 22 Nov 23:00 UTC.
    expect(await targets(tenant.id, { from: '2026-11-22', to: '2026-11-22' }, 'Europe/Paris')).toEqual(['wf-onboarding-42', 'a2']);
    expect(await targets(tenant.id, { to: '2026-11-21' }, 'Europe/Paris')).toEqual(['a1']);
    expect(await targets(tenant.id, { from: '2026-11-21', to: '2026-11-21' }, 'America/New_York')).toEqual(['wf-onboarding-42', 'a2']);
    expect(await targets(tenant.id, { actor: 'bob', action: 'signal' })).toEqual(['wf-onboarding-42']);
    // LIKE wildcards typed in a filter are literal characters.
    expect(await targets(tenant.id, { target: 'a%b' })).toEqual(['a%b']);
    expect(await targets(tenant.id, { target: 'a_' })).toEqual([]);
    expect(await targets(tenant.id, { target: 'a\\' })).toEqual([]);
  });

  it('pages newest first by id, without gaps or repeats, keeping the filters', async () => {
    const tenant = await makeTenant('Paging');
    await seed(tenant.id, Array.from({ length: 7 }, (_, i) => ({ targetId: `row-${i}`, outcome: 'ok' })));
    await seed(tenant.id, [{ targetId: 'failed-one', outcome: 'failed' }]);
    const f = filters({ outcome: 'ok' });
    const seen: string[] = [];
    let before: bigint | null = null;
    const sizes: number[] = [];
    for (;;) {
      const page = await listAuditPage(tenant.id, f, before, 3);
      sizes.push(page.rows.length);
      seen.push(...page.rows.map((r) => r.targetId));
      if (!page.nextBefore) break;
      before = BigInt(page.nextBefore);
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(['row-6', 'row-5', 'row-4', 'row-3', 'row-2', 'row-1', 'row-0']);
  });
});

describe('audit CSV', () => {
  it('escapes quotes, commas and line breaks, and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 6 12')).toBe("'+33 6 12");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=cmd')).toBe("'\t=cmd");
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('exports the filtered log, reading back cell for cell', async () => {
    const tenant = await makeTenant('Csv');
    await seed(tenant.id, [
      { targetId: 'plain', reason: 'routine' },
      { targetId: '=HYPERLINK("http://evil","click")', reason: 'comma, "quotes"\nand a newline' },
      { targetId: 'other-outcome', outcome: 'failed' },
    ]);
    const text = await readAll(auditCsvStream(tenant.id, filters({ outcome: 'ok' })));
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(AUDIT_CSV_HEADER);
    expect(rows).toHaveLength(3);
    const col = (name: string) => AUDIT_CSV_HEADER.indexOf(name);
    expect(rows[1][col('target_id')]).toBe(`'=HYPERLINK("http://evil","click")`);
    expect(rows[1][col('reason')]).toBe('comma, "quotes"\nand a newline');
    expect(rows[2][col('target_id')]).toBe('plain');
    expect(rows[2][col('outcome')]).toBe('ok');
    expect(rows[2][col('at')]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('streams batch after batch, every row once', async () => {
    const tenant = await makeTenant('Big');
    // Exactly two full batches: the export must still end, after one empty read.
    const n = 2000;
    await db().$executeRaw`
      INSERT INTO audit_log (tenant_id, actor_email, action, target_type, target_id, outcome)
      SELECT ${tenant.id}, 'bulk@test.vigie', 'bulk', 'test', 't' || g, 'ok' FROM generate_series(1, ${n}::int) g`;
    const rows = parseCsv((await readAll(auditCsvStream(tenant.id, {}))).slice(1)).slice(1);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r[0])).size).toBe(n);
  });

  it('records who exported what', async () => {
    const { tenant, staff, ctx } = await makeTenantContext('finance', { tenantName: 'Export' });
    await recordAuditExport(ctx, filters({ actor: 'bob', from: '2026-11-01' }));
    expect(await db().auditLog.findFirst({ where: { tenantId: tenant.id, action: 'audit:export' } })).toMatchObject({
      actorId: staff.id, actorEmail: staff.email, outcome: 'ok', detail: { actor: 'bob', from: '2026-11-01' },
    });
  });
});
