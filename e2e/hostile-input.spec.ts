// The hostile-input walk (issue 11): every route of app/routes — read from the directory at run
// time, never a hand-kept list — is sent a fixed set of hostile values in each path parameter,
// each query parameter its sources read, and each field of its forms, by a signed-in admin of a
// tenant with real data (a trial, a failed payment saga with its incident, a checkout session,
// an API key, an invitation). Asserted: no answer is a 5xx (every offender is listed), and
// nothing changed in PostgreSQL or in Temporal.
//
// How the forms reach deep without changing anything: each action route has valid forms (below),
// and every one carries an idempotency key already spent on another action. A request whose
// every check passes is therefore still refused at the claim (422, "key already used for another
// action"), after the lookups and rules that hostile input could break and before any effect.
// Some hostile values are valid keys themselves ("9999999999999999999999"): they are spent too.
// The forms that are not audited actions (login, invitation) fail at their last check instead.
//
// Allowed changes, by design: audit rows with outcome "refused" (refused attempts are logged
// within a budget) and "…:export" rows (a CSV export is audited), and login_attempts. Refused
// attempts are budgeted per person and minute (beyond it an audited action answers 429 before
// its checks), so the forms are posted by a pool of admins in turn.
//
// Requests go through Node's fetch, not page.request: a hostile byte sequence (%00, %ED%A0%80)
// must reach the server exactly as written, no cookie jar may carry a logout over, and a live
// stream (the checkouts' SSE) is judged by its status without waiting for its end.
//
// Run only this spec against a freshly built console: `npm test -- e2e e2e/hostile-input.spec.ts`
// (about two minutes; HOSTILE_PROGRESS=1 prints each route's parameters and the progress).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { COMPENSATION_ACTIONS } from '../finance/compensation-retry';
import { createTemporalClient } from '../temporal/config';
import { signalAbonnementSouscrit, signalFonctionnalitéActivée, signalOnboardingComplété } from '../temporal/workflows/onboarding.contract';
import { makeInvitation, makeStaff, makeTenant, makeTrial, sessionCookieFor, testDb, uid } from '../test-support/factories';
import { failedSagaWithFailedRefund } from './support/finance';
import { checkoutEvent, ingestCheckout, makeApiKey } from './support/ingest';

const baseURL = process.env.BASE_URL ?? 'http://localhost:3000';
const ROOT = path.resolve(process.cwd());
const ROUTES_DIR = path.join(ROOT, 'app/routes');
const CONCURRENCY = 8;
const ADMINS = 32;

// ——— The hostile values ————————————————————————————————————————————————————————————————
// `text` is the value; `raw`, when set, is put into a URL or a form body as is (not encoded).
interface Hostile { label: string; text: string; raw?: string }
const LONG = 'x'.repeat(100_000);
const HOSTILE: Hostile[] = [
  { label: 'U+0000', text: '\u0000' },
  { label: 'a U+0000 b', text: 'a\u0000b' },
  { label: 'raw %00', text: '%00', raw: '%00' },
  { label: 'lone surrogate', text: '\ud800', raw: '%ED%A0%80' },
  { label: '100 000 chars', text: LONG },
  { label: 'SQL', text: "'; DROP TABLE tenants; --" },
  { label: 'HTML', text: '<script>alert(1)</script>' },
  { label: 'path traversal', text: '../../etc/passwd' },
  { label: 'huge number', text: '9999999999999999999999' },
  { label: '-1', text: '-1' },
  { label: '1e309', text: '1e309' },
  { label: 'year 10000', text: '10000-01-01' },
  { label: 'max date', text: '+275760-09-13T00:00:00Z' },
  { label: 'NaN', text: 'NaN' },
  { label: 'null', text: 'null' },
  { label: '[]', text: '[]' },
  { label: '{}', text: '{}' },
  { label: 'emoji', text: '💥🙂' },
  { label: 'junk cursor', text: Buffer.from('{"b":0,"t":"AAAA"}').toString('base64url') },
  { label: 'RTL override', text: '\u202e' },
];
/** The smaller set posted in each form field. */
const FORM_HOSTILE = HOSTILE.filter((h) => ['a U+0000 b', 'lone surrogate', '100 000 chars', 'SQL', 'huge number', '1e309', 'year 10000', 'max date'].includes(h.label));

const enc = (h: Hostile) => h.raw ?? encodeURIComponent(h.text);

// ——— Routes from the file names (Remix v2 flat routes) ——————————————————————————————————
type Segment = { kind: 'static'; text: string } | { kind: 'param'; name: string };
interface Route { file: string; id: string; segments: Segment[]; source: string; hasLoader: boolean; hasAction: boolean }

/** A flat route file name (no extension) as URL segments; throws when it cannot be mapped. */
function routeSegments(id: string): Segment[] {
  // Split on dots outside [brackets]; the brackets' content is literal.
  const parts: string[] = [];
  let cur = '';
  let bracket = false;
  for (const ch of id) {
    if (ch === '[' && !bracket) { bracket = true; cur += '\ue000'; continue; }
    if (ch === ']' && bracket) { bracket = false; cur += '\ue001'; continue; }
    if (ch === '.' && !bracket) { parts.push(cur); cur = ''; continue; }
    cur += ch;
  }
  if (bracket) throw new Error('unclosed [ escape');
  parts.push(cur);
  const unescape = (s: string) => s.replace(/[\ue000\ue001]/g, '');
  const segments: Segment[] = [];
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '_index') {
      if (!last) throw new Error('_index before the last segment');
      return;
    }
    if (part.startsWith('_')) return; // pathless layout
    let p = part.endsWith('_') ? part.slice(0, -1) : part; // trailing _: not nested in the layout
    if (/^\(.*\)$/.test(p)) p = p.slice(1, -1); // optional segment: walked as present
    if (p === '$') { segments.push({ kind: 'param', name: '*' }); return; }
    if (p.startsWith('$')) {
      if (!/^\$[A-Za-z_]\w*$/.test(p)) throw new Error(`parameter segment “${part}”`);
      segments.push({ kind: 'param', name: p.slice(1) });
      return;
    }
    const text = unescape(p);
    if (!text || /[$()]/.test(p.replace(/\ue000[^\ue001]*\ue001/g, ''))) throw new Error(`segment “${part}”`);
    segments.push({ kind: 'static', text });
  });
  return segments;
}

function readRoutes(): { routes: Route[]; unmapped: string[] } {
  const routes: Route[] = [];
  const unmapped: string[] = [];
  for (const entry of readdirSync(ROUTES_DIR).sort()) {
    const full = path.join(ROUTES_DIR, entry);
    let file = full;
    let id = entry.replace(/\.(tsx?|jsx?|mdx?)$/, '');
    if (statSync(full).isDirectory()) {
      const inner = ['route.tsx', 'route.ts', 'route.jsx', 'route.js'].find((f) => { try { return statSync(path.join(full, f)).isFile(); } catch { return false; } });
      if (!inner) { unmapped.push(`${entry}/ (a folder without route.tsx)`); continue; }
      file = path.join(full, inner);
      id = entry;
    } else if (id === entry) {
      unmapped.push(`${entry} (not a route module)`);
      continue;
    }
    try {
      const source = readFileSync(file, 'utf8');
      routes.push({
        file: path.relative(ROOT, file),
        id,
        segments: routeSegments(id),
        source,
        hasLoader: /export\s+(async\s+)?(function|const)\s+loader\b/.test(source),
        hasAction: /export\s+(async\s+)?(function|const)\s+action\b/.test(source),
      });
    } catch (error) {
      unmapped.push(`${entry}: ${(error as Error).message}`);
    }
  }
  return { routes, unmapped };
}

/** The route's own source and the app/ modules it imports (one level), where its parameters are named. */
function sourcesOf(route: Route): string {
  const texts = [route.source];
  for (const m of route.source.matchAll(/from '~\/([^']+)'/g)) {
    for (const ext of ['.ts', '.tsx', '']) {
      try { texts.push(readFileSync(path.join(ROOT, 'app', m[1] + ext), 'utf8')); break; } catch { /* next extension */ }
    }
  }
  return texts.join('\n');
}

// The query parameters a route reads: every `searchParams.get('…')` of its sources, and the keys
// of each schema they hand to parseSearch/readSearch (found by name in the sources, following
// `base.extend(…)` and the like). The common names below are also sent, all at once, so that a
// parameter a route does not read is shown to be ignored.
const COMMON_QUERY_NAMES = [
  'q', 'status', 'type', 'phase', 'day', 'from', 'to', 'after', 'before', 'cursor', 'size', 'sort', 'dir', 'page', 'id', 'ids',
  'outcome', 'actor', 'action', 'target', 'assignee', 'severity', 'state', 'tag', 'kind', 'kinds', 'redirectTo', 'view', 'tz', 'a1', 'o1', 'v1', 'cols', 'run', 'query', 'events',
];
const FORM_NAMES = [
  'op', 'signal', 'reason', 'idempotencyKey', 'amount', 'montant', 'planId', 'fonctionnalité', 'eventId', 'scope', 'ids', 'expectedCount',
  'email', 'role', 'name', 'note', 'assigneeId', 'refundId', 'compensation', 'key', 'keyId', 'access', 'from', 'to', 'password', 'confirm', 'redirectTo', 'timeZone', 'language',
];
const mentioned = (names: string[], text: string) => names.filter((n) => new RegExp(`(^|[^\\p{L}\\w])${n}([^\\p{L}\\w]|$)`, 'u').test(text));
const readParams = (text: string) => [...text.matchAll(/(?:searchParams|params)\.get(?:All)?\('([^']+)'\)/g)].map((m) => m[1]);

/** The keys of the zod schema `name` defined in `text` (its object literals, and those of the schemas it builds on). */
function schemaKeys(name: string, text: string, depth = 0): string[] {
  if (depth > 5) return [];
  // The definition: from `const name =` to the next line that starts at column 0.
  const def = new RegExp(`(?:const|let)\\s+${name}\\b[^=]*=([\\s\\S]*?)\\n(?=\\S)`).exec(text)?.[1];
  if (!def) return [];
  const keys = [...def.matchAll(/(?:^\s+|[{,]\s*)([\p{L}\w]+)\??\s*:(?!:)/gmu)].map((m) => m[1]);
  for (const m of def.matchAll(/\b(\w+)(?:\(\))?\s*\.\s*(?:extend|merge|pick|omit|refine|superRefine|transform|and)\(/g)) {
    if (m[1] !== 'z' && m[1] !== name) keys.push(...schemaKeys(m[1], text, depth + 1));
  }
  return keys;
}
/**
 * What a route's loader or action reads from the query string: in its own file, and in the
 * modules it hands the request to (`someFunction(request, …)` imported from app/).
 */
function queryNamesOf(route: Route): string[] {
  const texts = [route.source];
  for (const m of route.source.matchAll(/import\s*\{([^}]*)\}\s*from '~\/([^']+)'/g)) {
    const imported = m[1].split(',').map((n) => n.replace(/^\s*type\s+/, '').trim().split(/\s+as\s+/).pop()!).filter(Boolean);
    if (!imported.some((n) => new RegExp(`\\b${n}\\(\\s*request\\b`).test(route.source))) continue;
    for (const ext of ['.ts', '.tsx', '']) {
      try { texts.push(readFileSync(path.join(ROOT, 'app', m[2] + ext), 'utf8')); break; } catch { /* next extension */ }
    }
  }
  const all = sourcesOf(route);
  const names = texts.flatMap(readParams);
  for (const text of texts) for (const m of text.matchAll(/\b(?:parseSearch|readSearch)\([^,()]+,\s*(\w+)/g)) names.push(...schemaKeys(m[1], all));
  return [...new Set(names)].filter((n) => /^[\p{L}\w]+$/u.test(n));
}

// ——— Requests ————————————————————————————————————————————————————————————————————————————
interface Req { route?: string; method: 'GET' | 'POST'; url: string; what: string; cookie?: string; body?: string; contentType?: string; headers?: Record<string, string> }
interface Res { req: Req; status: number | 'error'; snippet: string; ms: number; /** Why the first try got no answer, when it was sent twice. */ retriedAfter?: string }

/** Form body, urlencoded, each value encoded unless it is a raw hostile value. */
function formBody(fields: Record<string, string | Hostile>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${typeof v === 'string' ? encodeURIComponent(v) : enc(v)}`)
    .join('&');
}

async function send(req: Req): Promise<Res> {
  const t0 = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 45_000);
  try {
    const res = await fetch(new URL(req.url, baseURL), {
      method: req.method,
      redirect: 'manual',
      signal: controller.signal,
      headers: {
        ...(req.cookie ? { Cookie: req.cookie } : {}),
        ...(req.method === 'POST' ? { Origin: baseURL } : {}),
        ...(req.contentType ? { 'Content-Type': req.contentType } : {}),
        ...req.headers,
      },
      body: req.body,
    });
    // A live stream (text/event-stream) never ends: its status is the answer.
    const snippet = (res.headers.get('Content-Type') ?? '').includes('event-stream') ? '(stream)' : (await res.text()).slice(0, 200);
    controller.abort();
    return { req, status: res.status, snippet, ms: Date.now() - t0 };
  } catch (error) {
    return { req, status: 'error', snippet: String((error as Error).cause ?? (error as Error).message).slice(0, 200), ms: Date.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

async function runAll(reqs: Req[]): Promise<Res[]> {
  const out: Res[] = new Array(reqs.length);
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < reqs.length) {
      const i = next++;
      const first = await send(reqs[i]);
      // No answer at all (the connection lost, or nothing within 45 s) is sent once more, on another
      // connection: an input the console cannot answer fails both times and stays an offender. Two
      // clean-clone runs (2026-12-04) each saw one request of ~6,800 go unanswered, both early
      // refusals on routes that answered every other hostile value; the cause is not known, so
      // every retry is printed and more than two fail the walk.
      out[i] = first.status === 'error' ? { ...(await send(reqs[i])), retriedAfter: first.snippet } : first;
      if (process.env.HOSTILE_PROGRESS && i % 1000 === 0) console.log(`hostile walk: ${i}/${reqs.length}`);
    }
  }));
  return out;
}

// ——— What must not change ————————————————————————————————————————————————————————————————
// Digests (row count and md5 of the rows) of the walk's tenant's rows, and of the two tables
// without a tenant that an action could write to. Audit rows: all but "refused" and "…:export".
const digest = (from: string, where: string, order = 't::text') =>
  `SELECT count(*)::text || ' ' || md5(coalesce(string_agg(t::text, ',' ORDER BY ${order}), '')) AS d FROM ${from} t WHERE ${where}`;
const DIGESTS: Record<string, string> = {
  audit_log: digest('audit_log', `tenant_id = $1 AND outcome <> 'refused' AND action NOT LIKE '%:export'`, 't.id'),
  ...Object.fromEntries([
    'idempotency_records', 'payment_refunds', 'staff_invitations', 'memberships', 'finance_incidents', 'finance_incident_events', 'reconciliation_marks',
    'trial_users', 'trial_accounts', 'compensation_retries', 'ledger_entries', 'payment_sagas', 'saved_views',
  ].map((table) => [table, digest(table, 'tenant_id = $1')])),
  // A key's last use may move (the ingestion API is walked with one): its existence and revocation may not.
  api_keys: `SELECT count(*)::text || ' ' || md5(coalesce(string_agg(id::text || coalesce(revoked_at::text, ''), ',' ORDER BY id), '')) AS d FROM api_keys WHERE tenant_id = $1`,
  // Where each operator last worked (app/navigation/landing.server.ts) follows every page they open.
  staff_users: `SELECT count(*)::text || ' ' || md5(coalesce(string_agg((to_jsonb(t) - 'last_tenant_id' - 'last_path')::text, ',' ORDER BY t.id), '')) AS d FROM staff_users t WHERE $1::text IS NOT NULL`,
  // Every column but the webhook delivery mark, which the stand-in's forwarder sets on its own clock (docs/decisions/140).
  provider_objects: digest(
    '(SELECT id, kind, idempotency_key, request_fingerprint, status, amount_cents, currency, counterparty, source_id, order_id, error_code, error_message, metadata, created_at FROM provider_objects)',
    '$1::text IS NOT NULL',
  ),
};

async function databaseState(tenantId: string) {
  const out: Record<string, string> = {};
  for (const [table, sql] of Object.entries(DIGESTS)) {
    // A table a migration has not made yet (this spec may run against an older checkout) is skipped.
    const [{ exists }] = await testDb().$queryRawUnsafe<Array<{ exists: boolean }>>(`SELECT to_regclass('public.${table}') IS NOT NULL AS exists`);
    if (exists) out[table] = (await testDb().$queryRawUnsafe<Array<{ d: string }>>(sql, tenantId))[0].d;
  }
  return out;
}

async function temporalState(workflowIds: string[]) {
  const client = await createTemporalClient();
  try {
    const out: Record<string, string> = {};
    for (const id of workflowIds) {
      const handle = client.workflow.getHandle(id);
      const d = await handle.describe();
      const history = await handle.fetchHistory();
      out[id] = `${d.status.name}, ${history.events?.length ?? 0} events, run ${d.runId}`;
    }
    return out;
  } finally {
    await client.connection.close();
  }
}

/** Waits until the workflow has no activity in flight and its history stops growing. */
async function quiescent(workflowId: string) {
  const client = await createTemporalClient();
  try {
    const handle = client.workflow.getHandle(workflowId);
    let last = -1;
    await expect.poll(async () => {
      const d = await handle.describe();
      const n = (await handle.fetchHistory()).events?.length ?? 0;
      const settled = (d.raw.pendingActivities?.length ?? 0) === 0 && n === last;
      last = n;
      return settled;
    }, { timeout: 30_000, intervals: [500] }).toBe(true);
  } finally {
    await client.connection.close();
  }
}

test('hostile input on every route: never a 5xx, nothing changed in PostgreSQL or Temporal', async () => {
  test.setTimeout(Number(process.env.HOSTILE_TIMEOUT ?? 240_000));
  const { routes, unmapped } = readRoutes();
  expect(unmapped, 'route files the walk cannot map to a URL').toEqual([]);
  expect(routes.length).toBeGreaterThan(40);

  // ——— A tenant with real data ——————————————————————————————————————————————————————————
  const tenant = await makeTenant('Hostile');
  const admins = await Promise.all(Array.from({ length: ADMINS }, () => makeStaff({ [tenant.id]: 'admin' })));
  const admin = admins[0];
  const member = await makeStaff({ [tenant.id]: 'support' });
  const trial = await makeTrial(tenant.id);
  const saga = await failedSagaWithFailedRefund(tenant.id);
  const incident = await testDb().financeIncident.findFirstOrThrow({ where: { tenantId: tenant.id, orderId: saga.commandeId } });
  const refund = await testDb().paymentRefund.findFirst({ where: { tenantId: tenant.id } });
  const apiKey = await makeApiKey(tenant.id, 'hostile walk');
  const view = await testDb().savedView.create({ data: { tenantId: tenant.id, ownerId: admin.id, ownerEmail: admin.email, name: 'hostile walk', query: 'status=Running', shared: true } });
  const inviteToken = await makeInvitation(tenant.id, admin.id);
  const checkout = await ingestCheckout(baseURL, tenant.id, apiKey.raw);
  // The spent key: every valid form below carries it, so the claim refuses what got through every check.
  // Some hostile values are valid keys themselves ("9999999999999999999999"): they are spent too.
  const SPENT = `hostile-walk-${uid()}`;
  const spendable = [SPENT, ...HOSTILE.map((h) => h.text).filter((t) => t.length <= 100 && !t.includes('\u0000') && !/[\ud800-\udfff]/.test(t))];
  await testDb().idempotencyRecord.createMany({
    data: spendable.map((key) => ({ tenantId: tenant.id, key, action: 'hostile-walk', status: 'done', result: { ok: true, result: {}, fingerprint: 'hostile-walk|none|none' } })),
  });

  const sessions = await Promise.all(admins.map(async (a) => (await sessionCookieFor(a, tenant.id)).header));
  let turn = 0;
  const nextAdmin = () => sessions[turn++ % sessions.length];
  const cookie = sessions[0];

  const REAL: Record<string, string> = {
    tenantId: tenant.id,
    userId: trial.id,
    workflowId: trial.workflowId,
    commandeId: saga.commandeId,
    incidentId: incident.id,
    sessionId: checkout.sessionId,
    token: inviteToken,
    cardId: 'carte-1',
    viewId: view.id,
  };
  const today = new Date().toISOString().slice(0, 10);
  const idem = { idempotencyKey: SPENT };
  // Valid forms of each action route (see the header). A route missing here is walked with the
  // field names its sources mention, without a valid base.
  const VALID_FORMS: Record<string, Array<Record<string, string>>> = {
    login: [{ email: admin.email, password: 'not-the-password-at-all', redirectTo: '/' }],
    logout: [{}],
    'invite.$token': [{ name: 'Hostile Walk', password: 'p'.repeat(16), confirm: 'q'.repeat(16) }],
    't.$tenantId.admin.api-keys.create': [{ ...idem, name: 'hostile walk', reason: 'hostile walk' }],
    't.$tenantId.admin.api-keys.revoke': [{ ...idem, keyId: apiKey.id, reason: 'hostile walk' }],
    't.$tenantId.admin.staff.access': [{ ...idem, email: member.email, access: 'disable', reason: 'hostile walk' }],
    't.$tenantId.admin.staff.invite': [{ ...idem, email: `${uid('new')}@test.vigie`, role: 'support', reason: 'hostile walk' }],
    't.$tenantId.admin.staff.role': [{ ...idem, email: member.email, role: 'finance', reason: 'hostile walk' }],
    't.$tenantId.preferences': [{ ...idem, timeZone: 'Europe/Paris', language: 'fr' }],
    't.$tenantId.preferences.time-zone': [{ ...idem, timeZone: 'Europe/Paris' }],
    't.$tenantId.incidents.$incidentId.op': [
      { ...idem, op: 'note', note: 'hostile walk' },
      { ...idem, op: 'assign', assigneeId: admin.id },
      { ...idem, op: 'resolve', reason: 'hostile walk' },
      { ...idem, op: 'acknowledge' },
    ],
    't.$tenantId.payments.$commandeId.money': [
      { ...idem, op: 'refund', reason: 'hostile walk', amount: '1,00' },
      { ...idem, op: 'retry-refund', refundId: refund?.id ?? randomUUID() },
      { ...idem, op: 'retry-compensation', compensation: COMPENSATION_ACTIONS[0] },
    ],
    't.$tenantId.reconciliation.mark': [{ ...idem, key: `missing_ledger:${saga.commandeId}`, from: today, to: today, reason: 'hostile walk' }],
    't.$tenantId.trials.$userId.signal': [
      { ...idem, signal: signalFonctionnalitéActivée.name, fonctionnalité: 'hostile-walk', reason: 'hostile walk' },
      { ...idem, signal: signalAbonnementSouscrit.name, planId: 'pro', montant: '49,00' },
      { ...idem, signal: signalOnboardingComplété.name },
    ],
    't.$tenantId.workflows.$workflowId.op': [
      { ...idem, op: 'cancel', reason: 'hostile walk' },
      { ...idem, op: 'terminate', reason: 'hostile walk' },
      { ...idem, op: 'reset', reason: 'hostile walk', eventId: '3' },
    ],
    't.$tenantId.workflows.$workflowId.activity': [{ ...idem, op: 'pause', activityId: 'hostile-walk', reason: 'hostile walk' }],
    't.$tenantId.workflows.views': [{ ...idem, name: 'hostile walk', query: 'status=Running', shared: 'on', defaultForRole: 'support' }],
    't.$tenantId.workflows.views.$viewId': [
      { ...idem, op: 'update', name: 'hostile walk', query: 'status=Failed&cols=status%2Csa%3ATrialDay', shared: 'on', defaultForRole: 'support' },
      { ...idem, op: 'delete' },
    ],
    't.$tenantId.workflows.batch': [
      { ...idem, op: 'signal', signal: signalOnboardingComplété.name, scope: 'filter', expectedCount: '1', status: 'Running', type: 'onboarding', from: '2020-01-01T00:00:00Z', to: `${today}T23:59:59Z` },
      { ...idem, op: 'terminate', scope: 'selection', ids: trial.workflowId, reason: 'hostile walk', expectedCount: '1' },
    ],
  };

  // ——— The requests ——————————————————————————————————————————————————————————————————————
  const urlOf = (route: Route, over: Record<string, string> = {}) => {
    const missing = route.segments.filter((s): s is Extract<Segment, { kind: 'param' }> => s.kind === 'param' && !(s.name in REAL) && !(s.name in over));
    if (missing.length) throw new Error(`${route.file}: no real value for $${missing.map((m) => m.name).join(', $')}`);
    return '/' + route.segments.map((s) => (s.kind === 'static' ? encodeURIComponent(s.text) : over[s.name] ?? encodeURIComponent(REAL[s.name]))).join('/');
  };
  const isApi = (r: Route) => r.segments[0]?.kind === 'static' && r.segments[0].text === 'api';
  // Sign-in and sign-out forms are posted signed out: a logout would end the walk's session.
  const signedOut = (r: Route) => !(r.segments[0]?.kind === 'static' && ['t', 'demo'].includes(r.segments[0].text));

  const planned: string[] = [];
  const warmUp: Req[] = [];
  const walk: Req[] = [];
  for (const route of routes) {
    const add = (r: Req) => walk.push({ ...r, route: route.id });
    const sources = sourcesOf(route);
    const params = route.segments.flatMap((s) => (s.kind === 'param' ? [s.name] : []));
    const queryNames = queryNamesOf(route);
    planned.push(`${route.file}: ${params.length ? params.map((p) => `$${p}`).join(' ') : '-'} | ${queryNames.join(' ') || '-'}`);
    const url = urlOf(route);
    // GET: the page itself (before the snapshot: a first visit may set things up, e.g. the demo's API key)…
    warmUp.push({ route: route.id, method: 'GET', url, what: 'warm-up', cookie });
    // …then each hostile value in each path parameter and each query parameter.
    for (const h of HOSTILE) {
      for (const p of params) add({ method: 'GET', url: urlOf(route, { [p]: enc(h) }), what: `$${p}=${h.label}`, cookie });
      for (const q of queryNames) add({ method: 'GET', url: `${url}?${encodeURIComponent(q)}=${enc(h)}`, what: `?${q}=${h.label}`, cookie });
      if (h.text.length < 1000) {
        const common = COMMON_QUERY_NAMES.filter((n) => !queryNames.includes(n)).map((n) => `${n}=${enc(h)}`).join('&');
        add({ method: 'GET', url: `${url}?${common}`, what: `?<every common name>=${h.label}`, cookie });
      }
    }
    if (!route.hasAction) continue;

    if (isApi(route)) {
      // The ingestion API: JSON with a real key, each field of a valid event hostile in turn.
      const event: Record<string, unknown> = route.id.includes('kanban')
        ? { source: 'kanban', eventId: randomUUID(), sessionId: 's', machineId: 'dndKanban', version: '1.0.0', at: new Date().toISOString(), boardId: 'board-x', carteId: 'k1', colonneOriginale: 'a', colonneCible: 'b', indexCible: 0, erreur: 'Erreur 503', kind: 'error', board: [{ id: 'a', titre: 'A', cartes: [{ id: 'k1', titre: 'K1' }] }] }
        : { ...checkoutEvent({ sessionId: checkout.sessionId }) };
      for (const field of Object.keys(event)) {
        for (const h of FORM_HOSTILE) {
          add({
            method: 'POST', url, what: `json ${field}=${h.label}`, contentType: 'application/json', headers: { Authorization: `Bearer ${apiKey.raw}` },
            body: JSON.stringify({ events: [{ ...event, eventId: randomUUID(), [field]: h.text }] }),
          });
        }
      }
    }
    const forms = VALID_FORMS[route.id] ?? [Object.fromEntries(mentioned(FORM_NAMES, sources).map((n) => [n, 'x']))];
    if (!VALID_FORMS[route.id] && !isApi(route) && !route.id.startsWith('demo.')) console.log(`hostile walk: no valid form for ${route.file}; walking the field names its sources mention`);
    const who = () => (signedOut(route) ? undefined : nextAdmin());
    const post = (u: string, fields: Record<string, string | Hostile>, what: string) =>
      add({ method: 'POST', url: u, what, cookie: who(), contentType: 'application/x-www-form-urlencoded', body: formBody(fields) });
    // Each path parameter hostile, with a valid form: the lookup of the target is what is tried.
    for (const h of HOSTILE) for (const p of params) post(urlOf(route, { [p]: enc(h) }), forms[0], `$${p}=${h.label}`);
    // Each field of each valid form hostile, on the real target.
    for (const form of forms) {
      const label = form.op ?? form.signal ?? '';
      for (const field of Object.keys(form)) for (const h of FORM_HOSTILE) post(url, { ...form, [field]: h }, `${label ? `${label}: ` : ''}${field}=${h.label}`);
    }
    // The query parameters an action reads (the demo APIs' fault switches).
    for (const q of readParams(route.source)) for (const h of FORM_HOSTILE) post(`${url}?${encodeURIComponent(q)}=${enc(h)}`, forms[0], `?${q}=${h.label}`);
    // No body at all, and a body that is not a form.
    add({ method: 'POST', url, what: 'empty body', cookie: who() });
    add({ method: 'POST', url, what: 'JSON body', cookie: who(), contentType: 'application/json', body: '{"op":' });
  }

  console.log(`hostile walk: ${warmUp.length} warm-up and ${walk.length} walk requests`);
  if (process.env.HOSTILE_PROGRESS) console.log(`hostile walk: routes (path parameters | query parameters)\n  ${planned.join('\n  ')}`);
  const started = Date.now();
  const warm = await runAll(warmUp);
  await quiescent(trial.workflowId);
  const workflows = [trial.workflowId, saga.workflowId];
  const dbBefore = await databaseState(tenant.id);
  const lastAuditId = (await testDb().auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
  const temporalBefore = await temporalState(workflows);

  const results = await runAll(walk);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  const all = [...warm, ...results];
  const statuses = new Map<string, number>();
  for (const r of all) statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
  console.log(
    `hostile walk: ${routes.length} routes, ${all.length} requests (${warm.length} warm-up) in ${seconds} s; statuses ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')}`,
  );
  const limited = new Map<string, number>();
  for (const r of all) if (r.status === 429) limited.set(r.req.route ?? '?', (limited.get(r.req.route ?? '?') ?? 0) + 1);
  if (limited.size) console.log(`hostile walk: 429 (rate limits) on ${[...limited].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  const byRoute = new Map<string, { n: number; ms: number }>();
  for (const r of all) {
    const k = r.req.route ?? '?';
    const agg = byRoute.get(k) ?? { n: 0, ms: 0 };
    byRoute.set(k, { n: agg.n + 1, ms: agg.ms + r.ms });
  }
  console.log(`hostile walk: busiest routes\n${[...byRoute].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8).map(([k, v]) => `  ${k}: ${v.n} requests, ${(v.ms / 1000).toFixed(1)} s`).join('\n')}`);
  const slowest = [...all].sort((a, b) => b.ms - a.ms).slice(0, 10);
  console.log(`hostile walk: slowest\n${slowest.map((r) => `  ${r.ms} ms ${r.req.method} ${r.req.url.slice(0, 120)} ${r.req.what} → ${r.status}`).join('\n')}`);
  const retried = all.filter((r) => r.retriedAfter !== undefined);
  if (retried.length) console.log(`hostile walk: ${retried.length} request(s) unanswered once, sent again:\n${retried.map((r) => `${r.req.method} ${r.req.url.slice(0, 120)} ${r.req.what} → first: ${r.retriedAfter}; again: ${r.status}`).join('\n')}`);
  // More than a stray lost connection is the console's fault, whatever the second try said.
  expect(retried.length, 'requests that got no answer on their first try').toBeLessThanOrEqual(2);
  const offenders = all
    .filter((r) => r.status === 'error' || r.status >= 500)
    .map((r) => `${r.req.method} ${r.req.url.length > 160 ? `${r.req.url.slice(0, 160)}…` : r.req.url} ${r.req.what} → ${r.status} ${r.snippet.replace(/\s+/g, ' ')}`);
  if (offenders.length) {
    const file = test.info().outputPath('hostile-offenders.txt');
    writeFileSync(file, offenders.join('\n'));
    console.log(`hostile walk: ${offenders.length} offenders (all in ${path.relative(ROOT, file)}):\n${offenders.slice(0, 150).join('\n')}`);
  }
  expect(offenders.slice(0, 150), `${offenders.length} request(s) answered 5xx or failed`).toEqual([]);

  const dbAfter = await databaseState(tenant.id);
  if (JSON.stringify(dbAfter) !== JSON.stringify(dbBefore)) {
    const rows = await testDb().auditLog.findMany({ where: { tenantId: tenant.id, id: { gt: lastAuditId }, outcome: { not: 'refused' }, NOT: { action: { endsWith: ':export' } } }, take: 20 });
    console.log(`hostile walk: audit rows written during the walk (not refused):\n${rows.map((r) => `  ${r.action} ${r.targetType}:${r.targetId} ${r.outcome} by ${r.actorEmail} ${JSON.stringify(r.detail)}`).join('\n')}`);
  }
  expect(dbAfter, 'PostgreSQL changed during the walk').toEqual(dbBefore);
  expect(await temporalState(workflows), 'Temporal changed during the walk').toEqual(temporalBefore);
});
