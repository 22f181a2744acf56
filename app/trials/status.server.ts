// The live status of one trial: the workflow's own queries, with a clear fallback when
// they cannot answer (no worker running, workflow closed long ago).
import type { Client } from '@temporalio/client';
import type { Mailer } from '../../ports/mailer';
import { db } from '../server/db.server';
import { msToNumber } from '../../temporal/workflows/duration';
import {
  DURÉES_PRODUCTION,
  PLAN_ONBOARDING,
  queryJoursTrial,
  queryStatutDetaillé,
  type StatutOnboarding,
  type Étape,
} from '../../temporal/workflows/onboarding.contract';

/** Why the live status is missing: no answer in time (no worker?), or the query's own error (a provider's text, shown as is). */
export type LiveStatusError = { code: 'no-answer'; seconds: number } | { code: 'failed'; message: string };

class NoAnswer extends Error {}

/** The live status of the run named, or of the workflow id's latest run when `runId` is undefined. */
export async function queryOnboarding(client: Client, workflowId: string, runId: string | undefined, timeoutMs = 3000) {
  const handle = client.workflow.getHandle(workflowId, runId);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new NoAnswer()), timeoutMs));
  try {
    const [statut, jours] = await Promise.race([
      Promise.all([handle.query(queryStatutDetaillé), handle.query(queryJoursTrial)]),
      timeout,
    ]);
    return { statut, joursTrial: jours, error: null };
  } catch (error) {
    const why: LiveStatusError = error instanceof NoAnswer ? { code: 'no-answer', seconds: timeoutMs / 1000 } : { code: 'failed', message: (error as Error).message.split('\n')[0] };
    return { statut: null, joursTrial: null, error: why };
  }
}

/** The workflow's plan on the production schedule, for the timeline. Keys are the workflow's step names (the page's words for them: trials plan.step). */
export const ONBOARDING_PLAN = PLAN_ONBOARDING.map(({ étape, échéance }) => ({
  day: échéance ? Math.round(msToNumber(DURÉES_PRODUCTION[échéance]) / msToNumber(DURÉES_PRODUCTION.jour)) : 0,
  key: étape,
}));

export type StepState = 'sent' | 'failed' | 'skipped' | 'next' | 'upcoming';
/** Why a step is not sent: the user activated a feature, subscribed, the run was closed, or the workflow passed it without sending. */
export type SkipReason = 'activated' | 'subscribed' | 'closed' | 'passed';

// The template each step sends (onboarding.ts): the last step's email is the expiry one.
const templateOf = (step: Étape) => (step === 'fin-trial' ? 'trial-expiré' : step);
const ofStep = (key: Étape) => (template: string) => template === templateOf(key) || template.startsWith(templateOf(key));
/** The steps onboarding.ts skips once the user is active (a feature, or onboarding completed). */
const ACTIVATION_NUDGES: readonly Étape[] = ['guide-démarrage', 'aide-activation'];

/**
 * The plan, each step sent, failed (the provider refused it), next, upcoming, or skipped with why:
 * one that will not be sent (a feature was activated, the user subscribed, the run was closed)
 * is skipped before its day, as the workflow will skip it. `runStatus` is the run's status
 * (RUNNING…): a run terminated mid-trial has no next step.
 */
export function timeline(statut: StatutOnboarding | null, runStatus = 'RUNNING') {
  const nextIndex = statut?.prochaineÉtape ? ONBOARDING_PLAN.findIndex((s) => s.key === statut.prochaineÉtape?.étape) : -1;
  return ONBOARDING_PLAN.map((step, i) => {
    let state: StepState = 'upcoming';
    let skipped: SkipReason | null = null;
    if (statut) {
      const finished = statut.phase === 'converti' || statut.phase === 'expiré';
      const closed = finished || runStatus !== 'RUNNING';
      const activated = statut.fonctionnalitésActivées.length > 0 || statut.phase === 'engagement';
      // A refused email is not a skipped one: support must not tell the user it was sent.
      if (statut.emailsÉchoués.some(ofStep(step.key))) state = 'failed';
      else if (statut.emailsEnvoyés.some(ofStep(step.key)) || (step.key === 'fin-trial' && finished)) state = 'sent';
      else if (i === nextIndex && !closed) state = 'next';
      else if (statut.souscrit) skipped = 'subscribed';
      else if (ACTIVATION_NUDGES.includes(step.key) && activated) skipped = 'activated';
      else if (finished || (nextIndex >= 0 ? i < nextIndex : statut.jourÉcoulé >= step.day)) skipped = 'passed';
      else if (closed) skipped = 'closed';
      if (skipped) state = 'skipped';
    }
    return { ...step, state, skipped };
  });
}

export interface EmailDeliveryView {
  template: string;
  status: 'sending' | 'sent' | 'failed';
  attempts: number;
  /** The provider's reason, for a failed (or still retrying) email. */
  error: string | null;
  at: string;
  recipient: string;
  /** The provider's id for the message, once it accepted it. */
  providerMessageId: string | null;
}

/**
 * What the email activity recorded for this trial, one row per template: sent, failed with the
 * provider's reason and the attempts made, or still being sent. The workflow's statutDetaillé
 * says which failed; this says why.
 */
export async function emailDeliveries(tenantId: string, workflowId: string): Promise<EmailDeliveryView[]> {
  const rows = await db().emailDelivery.findMany({
    where: { tenantId, workflowId },
    orderBy: { createdAt: 'asc' },
    select: { template: true, status: true, attempts: true, error: true, sentAt: true, updatedAt: true, recipient: true, providerMessageId: true },
  });
  return rows.map((r) => ({
    template: r.template,
    status: r.status as EmailDeliveryView['status'],
    attempts: r.attempts,
    error: r.status === 'sent' ? null : r.error,
    at: (r.sentAt ?? r.updatedAt).toISOString(),
    recipient: r.recipient,
    providerMessageId: r.status === 'sent' ? r.providerMessageId : null,
  }));
}

/** What the page can say about an email's content (docs/decisions/080). */
export type EmailContent =
  /** As the provider holds it: what the user was sent. `body` is text to show as text, never markup to render. */
  | { kind: 'received'; subject: string; from: string; to: string[]; body: string; bodyFormat: 'text' | 'html-source'; acceptedAt: string | null; lastEvent: string | null }
  /** Sent, but the provider no longer has the message (retention, another account). */
  | { kind: 'gone' }
  /** Sent, but the provider gave no usable answer this time. */
  | { kind: 'unreadable'; reason: UnreadableReason }
  /** Refused by the provider: the user received nothing. */
  | { kind: 'not-delivered' }
  /** Not confirmed yet: the activity is still sending (or retrying) it. */
  | { kind: 'pending' };

/** Why a sent message could not be read back: no id recorded, the page's deadline, or the provider's own error (its text, as is). */
export type UnreadableReason = { code: 'no-id' } | { code: 'late'; seconds: number } | { code: 'error'; message: string };

export type SentEmailView = EmailDeliveryView & { content: EmailContent };

/** How long one page waits for the provider, all its reads together. */
export const READ_DEADLINE_MS = 4_000;

/**
 * Each delivery with what the user received, read back through the Mailer port from the
 * provider's own record (the local outbox's row, Resend's GET /emails/{id}). One read at a time,
 * under one deadline for the page: a provider's rate limit is spent slowly, and a slow provider
 * costs the page at most the deadline, the reads left are said to be unread.
 */
export async function withSentContent(deliveries: EmailDeliveryView[], mailer: Mailer, deadlineMs = READ_DEADLINE_MS): Promise<SentEmailView[]> {
  const deadline = AbortSignal.timeout(deadlineMs);
  const late: UnreadableReason = { code: 'late', seconds: deadlineMs / 1000 };
  const out: SentEmailView[] = [];
  for (const d of deliveries) {
    if (d.status === 'failed') out.push({ ...d, content: { kind: 'not-delivered' } });
    else if (d.status !== 'sent') out.push({ ...d, content: { kind: 'pending' } });
    else if (!d.providerMessageId) out.push({ ...d, content: { kind: 'unreadable', reason: { code: 'no-id' } } });
    else if (deadline.aborted) out.push({ ...d, content: { kind: 'unreadable', reason: late } });
    else out.push({ ...d, content: await readContent(mailer, d.providerMessageId, deadline, late) });
  }
  return out;
}

async function readContent(mailer: Mailer, id: string, deadline: AbortSignal, late: UnreadableReason): Promise<EmailContent> {
  let cancel = () => {};
  const timeout = new Promise<never>((_, reject) => {
    const onAbort = () => reject(new Error('late'));
    deadline.addEventListener('abort', onAbort, { once: true });
    cancel = () => deadline.removeEventListener('abort', onAbort);
  });
  try {
    const m = await Promise.race([mailer.sentMessage(id, { signal: deadline }), timeout]);
    if (!m) return { kind: 'gone' };
    const html = m.text === null && m.html !== null;
    return { kind: 'received', subject: m.subject, from: m.from, to: m.to, body: (html ? m.html : m.text) ?? '', bodyFormat: html ? 'html-source' : 'text', acceptedAt: m.createdAt, lastEvent: m.lastEvent };
  } catch (error) {
    return { kind: 'unreadable', reason: deadline.aborted ? late : { code: 'error', message: (error as Error).message } };
  } finally {
    cancel();
  }
}

/** When the trial really began: its first run's start, which a reset does not move. */
export async function trialStartedAt(tenantId: string, workflowId: string): Promise<string | null> {
  const account = await db().trialAccount.findFirst({ where: { tenantId, workflowId }, select: { startedAt: true } });
  return account?.startedAt.toISOString() ?? null;
}
