// The trial page, through its own loader against the real Temporal dev server and the local mailer.
// "What the user received" (docs/decisions/080): each email as the mailer recorded it, a hostile
// first name that stays text in the page's HTML, a refused email with its reason and no body, and
// the answers when the provider no longer has a message or does not answer. The live status
// (statutDetaillé, joursTrial): asked beside describe when the trial user is known in the tenant,
// after it otherwise; never shown for a workflow of another tenant.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { createInstance } from 'i18next';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmail } from '../../ports/email-templates';
import { injectFault } from '../../ports/faults';
import { LocalMailer } from '../../ports/local-mailer';
import type { Mailer } from '../../ports/mailer';
import { startOnboarding } from '../../temporal/starters';
import { DURÉES_PRODUCTION, emailIdempotencyKey } from '../../temporal/workflows/onboarding.contract';
import { makeStaff, makeTenant, sessionCookieFor, uid } from '../../test-support/factories';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';
import { SentEmails } from '../components/sent-emails';
import { i18nOptions } from '../i18n/config';
import { zoned } from '../components/time';
import { loader } from '../routes/t.$tenantId.trials.$userId';
import { withSentContent, type SentEmailView } from './status.server';

let s: TestStack;
let tenant: { id: string };
let other: { id: string };
let cookie: string;
const stop: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  s = await startTestStack('sentmail');
  tenant = await makeTenant();
  other = await makeTenant();
  cookie = (await sessionCookieFor(await makeStaff({ [tenant.id]: 'support' }), tenant.id)).header;
});
afterAll(async () => {
  await Promise.all(stop.map((f) => f().catch(() => undefined)));
  await s?.close();
});

const context = { clientAddress: '127.0.0.1', cspNonce: 'test' };
const args = (tenantId: string, userId: string, query = '', c = cookie) => ({
  request: new Request(`http://localhost/t/${tenantId}/trials/${encodeURIComponent(userId)}${query}`, { headers: { Cookie: c } }),
  params: { tenantId, userId },
  context,
});
const page = async (userId: string, query = '') => (await loader(args(tenant.id, userId, query))).json();
const statusOf = (p: Promise<unknown>) => p.then((r) => (r instanceof Response ? r.status : 200), (e: unknown) => (e instanceof Response ? e.status : e));
/** The emails section as the page renders it, from the loader's own answer. */
const html = (emails: SentEmailView[], tz = 'Europe/Paris', lng = 'en') => {
  const i18n = createInstance();
  void i18n.use(initReactI18next).init({ ...i18nOptions, lng });
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(SentEmails, { emails, tz })));
};

/**
 * A trial user on the production schedule: the welcome email, then a day's sleep. By default of the
 * page's tenant, with its trial_users row; `row: false` is a workflow started outside Vigie.
 */
async function trial(prénom: string, beforeStart?: (email: string) => Promise<unknown>, opts: { tenantId?: string; row?: boolean } = {}) {
  const id = uid('u');
  const email = `${id}@example.test`;
  const tenantId = opts.tenantId ?? tenant.id;
  if (opts.row !== false) await s.db.trialUser.create({ data: { id, tenantId, email, name: `Trial ${id}` } });
  await beforeStart?.(email);
  const h = await startOnboarding(s.client, { tenantId, utilisateurId: id, email, prénom, planEssaiId: 'trial-14j', durées: DURÉES_PRODUCTION }, { taskQueue: s.taskQueue });
  stop.push(() => h.terminate('test done'));
  const delivery = await waitFor('the welcome email sent or refused', () =>
    s.db.emailDelivery.findFirst({ where: { idempotencyKey: emailIdempotencyKey(h.workflowId, 'bienvenue-trial'), status: { in: ['sent', 'failed'] } } }).then((r) => r ?? undefined),
  );
  return { id, email, workflowId: h.workflowId, delivery };
}

describe('the trial page’s emails', () => {
  it('shows the welcome email with the exact subject and body the local mailer recorded', async () => {
    const t = await trial('Camille');
    const d = await page(t.id, '?tz=Europe/Paris');
    const row = await s.db.localMailMessage.findUniqueOrThrow({ where: { id: t.delivery.providerMessageId! } });
    const rendered = renderEmail('bienvenue-trial', { prénom: 'Camille' });
    expect(row).toMatchObject({ subject: rendered.subject, body: rendered.text, recipient: t.email });

    expect(d.tz).toBe('Europe/Paris');
    const welcome = (d.emails as SentEmailView[]).find((e) => e.template === 'bienvenue-trial')!;
    expect(welcome).toMatchObject({ status: 'sent', recipient: t.email, providerMessageId: row.id, at: t.delivery.sentAt!.toISOString() });
    expect(welcome.content).toEqual({
      kind: 'received',
      subject: row.subject,
      from: row.sender,
      to: [t.email],
      body: row.body,
      bodyFormat: 'text',
      acceptedAt: row.createdAt.toISOString(),
      lastEvent: null,
    });

    // The page shows it in the operator's zone, subject and every line of the body.
    const markup = html(d.emails);
    expect(markup).toContain(`<dd data-testid="email-subject">${row.subject}</dd>`);
    expect(markup).toContain(zoned(t.delivery.sentAt!, 'Europe/Paris'));
    expect(markup).toContain('Europe/Paris');
    for (const line of row.body.split('\n').filter(Boolean)) expect(markup).toContain(line.replaceAll("'", '&#x27;'));
  });

  it('keeps a hostile first name as text: nothing of it reaches the page’s HTML as markup', async () => {
    const hostile = `<script>alert(1)</script>"><img src=x onerror=alert(1)>`;
    const t = await trial(hostile);
    const d = await page(t.id);
    const welcome = (d.emails as SentEmailView[]).find((e) => e.template === 'bienvenue-trial')!;
    // What the user received holds the name as sent (a text/plain email)…
    expect(welcome.content).toMatchObject({ kind: 'received', body: renderEmail('bienvenue-trial', { prénom: hostile }).text });
    // …and the page writes it escaped: no script, no img, no attribute break-out.
    const markup = html(d.emails);
    expect(markup).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
    expect(markup).not.toContain(hostile);
    expect(markup).toContain('Bonjour &lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;,');
    // The only tags in the body's block are the <pre> itself.
    const body = /<pre class="email-body" data-testid="email-body">([\s\S]*?)<\/pre>/.exec(markup)![1]!;
    expect(body).not.toMatch(/[<>"]/);
  });

  it('shows an HTML-only message as its source, escaped, never rendered', async () => {
    const source = '<p>Bonjour</p><script>alert(1)</script><img src=x onerror=alert(1)>';
    const htmlOnly: Mailer = {
      send: () => Promise.reject(new Error('not here')),
      sentMessage: async (id) => ({ id, from: 'a@b.test', to: ['c@d.test'], subject: 'S', text: null, html: source, createdAt: null, lastEvent: 'delivered' }),
    };
    const [e] = await withSentContent([{ template: 'bienvenue-trial', status: 'sent', attempts: 1, error: null, at: new Date().toISOString(), recipient: 'c@d.test', providerMessageId: 'm1' }], htmlOnly);
    expect(e!.content).toMatchObject({ kind: 'received', body: source, bodyFormat: 'html-source', lastEvent: 'delivered' });
    const markup = html([e!]);
    expect(markup).toContain('its source is shown as text, not rendered');
    expect(markup).toContain('&lt;p&gt;Bonjour&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(markup).not.toMatch(/<script|<img|<p>Bonjour/i);
  });

  it('shows a refused email as not delivered, with its reason, and no body', async () => {
    const t = await trial('Camille', (email) => injectFault(s.db, { operation: 'mail.send', mode: 'reject', target: email }));
    expect(t.delivery).toMatchObject({ status: 'failed', providerMessageId: null });
    expect(await s.db.localMailMessage.count({ where: { recipient: t.email } })).toBe(0);
    const d = await page(t.id);
    const welcome = (d.emails as SentEmailView[]).find((e) => e.template === 'bienvenue-trial')!;
    expect(welcome).toMatchObject({ status: 'failed', error: t.delivery.error, content: { kind: 'not-delivered' } });
    const markup = html(d.emails);
    expect(markup).toContain('not delivered');
    expect(markup).toContain(t.delivery.error!);
    expect(markup).toContain('The user received nothing.');
    // A French operator reads the same in French; the provider's reason stays as the provider wrote it.
    const fr = html(d.emails, 'Europe/Paris', 'fr');
    expect(fr).toContain('non remis');
    expect(fr).toContain('L’utilisateur n’a rien reçu.');
    expect(fr).toContain(t.delivery.error!);
    expect(fr).not.toContain('The user received nothing.');
    expect(markup).not.toContain('email-body');
    expect(markup).not.toContain(renderEmail('bienvenue-trial', {}).subject);
  });

  it('says so when the provider no longer has a message, and when it does not answer', async () => {
    const t = await trial('Camille');
    const id = t.delivery.providerMessageId!;
    // It did not answer: the reason, no body; the page still loads.
    await injectFault(s.db, { operation: 'mail.read', mode: 'timeout', target: id, times: 1 });
    const unanswered = (await page(t.id)).emails as SentEmailView[];
    expect(unanswered[0]!.content).toEqual({ kind: 'unreadable', reason: { code: 'error', message: expect.stringContaining('no answer from the mail provider') } });
    expect(html(unanswered)).not.toContain('email-body');
    // A read slower than the page's deadline is given up, and the reads after it are not made.
    await injectFault(s.db, { operation: 'mail.read', mode: 'delay', delayMs: 2_000, target: id, times: 1 });
    const slow = await withSentContent([t.delivery, t.delivery].map((r) => ({ ...r, status: 'sent' as const, at: r.sentAt!.toISOString(), providerMessageId: id })), new LocalMailer(s.db), 200);
    expect(slow.map((e) => e.content)).toEqual([
      { kind: 'unreadable', reason: { code: 'late', seconds: 0.2 } },
      { kind: 'unreadable', reason: { code: 'late', seconds: 0.2 } },
    ]);
    expect(html(slow)).toContain('the mail provider did not answer within 0.2 s; reload to try again');
    expect(html(slow, 'Europe/Paris', 'fr')).toContain('le fournisseur d’e-mails n’a pas répondu en 0,2 s ; rechargez pour réessayer');
    // Gone (past the provider's retention): said, not failed, and no body.
    await s.db.localMailMessage.delete({ where: { id } });
    const gone = (await page(t.id)).emails as SentEmailView[];
    expect(gone[0]).toMatchObject({ status: 'sent', providerMessageId: id, content: { kind: 'gone' } });
    const markup = html(gone);
    expect(markup).toContain('no longer has');
    expect(markup).not.toContain('email-body');
  });

  it('keeps the page’s guard: another tenant’s user is a 404, a role without read:trial a 403, a bad zone a 400', async () => {
    const t = await trial('Camille');
    const outsider = (await sessionCookieFor(await makeStaff({ [other.id]: 'support' }), other.id)).header;
    expect(await statusOf(loader(args(other.id, t.id, '', outsider)))).toBe(404);
    const finance = (await sessionCookieFor(await makeStaff({ [tenant.id]: 'finance' }), tenant.id)).header;
    expect(await statusOf(loader(args(tenant.id, t.id, '', finance)))).toBe(403);
    expect(await statusOf(loader(args(tenant.id, t.id, '?tz=Mars/Olympus')))).toBe(400);
  });
});

describe('the trial page’s live status', () => {
  it('is the workflow’s own answer for a trial user of the tenant', async () => {
    const t = await trial('Test');
    const d = await page(t.id);
    expect(d.error).toBeNull();
    expect(d.statut).toMatchObject({ phase: 'inscription', emailsEnvoyés: ['bienvenue-trial'] });
    expect(d.joursTrial).toBe(0);
    expect(d.user).toEqual({ name: `Trial ${t.id}`, email: t.email });
  });

  it('is read after describe for a workflow of the tenant that has no trial user row (started outside Vigie)', async () => {
    const t = await trial('Test', undefined, { row: false });
    const d = await page(t.id);
    expect(d.user).toBeNull();
    expect(d.error).toBeNull();
    expect(d.statut).toMatchObject({ phase: 'inscription' });
  });

  it('is a 404 for another tenant’s workflow, with or without a trial user of that id in this tenant', async () => {
    const theirs = await trial('Test', undefined, { tenantId: other.id });
    expect(await statusOf(loader(args(tenant.id, theirs.id)))).toBe(404);
    // The row says this tenant, the workflow says the other one: describe decides.
    const mismatched = uid('u');
    await s.db.trialUser.create({ data: { id: mismatched, tenantId: tenant.id, email: `${mismatched}@example.test`, name: 'Mismatched' } });
    const h = await startOnboarding(s.client, { tenantId: other.id, utilisateurId: mismatched, email: `${mismatched}@example.test`, prénom: 'Test', planEssaiId: 'trial-14j', durées: DURÉES_PRODUCTION }, { taskQueue: s.taskQueue });
    stop.push(() => h.terminate('test done'));
    expect(await statusOf(loader(args(tenant.id, mismatched)))).toBe(404);
  });
});
