// The mailer on Resend. The idempotency key goes in the Idempotency-Key header: Resend then
// delivers at most once per key for 24 h, which closes the window where an email was sent
// but the worker died before recording it (docs/decisions/010). The console reads a sent
// message back (GET /emails/{id}) to show what the user received (docs/decisions/080): that
// needs a full-access key, a sending-access key is refused (restricted_api_key).
import { Resend } from 'resend';
import { headerSafeKey } from './idempotency-key';
import { MailerError, type MailMessage, type Mailer, type SentMessage } from './mailer';

// Resend's answers that will not change on a retry with the same key.
const DEFINITE = new Set(['validation_error', 'invalid_from_address', 'invalid_parameter', 'missing_required_field', 'invalid_attachment', 'invalid_idempotent_request', 'invalid_idempotency_key']);
// Answers to a read that asking again will not change: the key may not read, or the id is not one.
const DEFINITE_READ = new Set(['missing_api_key', 'invalid_api_key', 'restricted_api_key', 'invalid_access', 'validation_error', 'invalid_parameter', 'missing_required_field']);

export interface ResendMailerOptions {
  apiKey: string;
  from: string;
  /** A non-default API base URL (a local stub in tests). */
  baseUrl?: string;
}

export class ResendMailer implements Mailer {
  private readonly resend: Resend;

  constructor(private readonly opts: ResendMailerOptions) {
    this.resend = new Resend(opts.apiKey, opts.baseUrl ? { baseUrl: opts.baseUrl } : undefined);
  }

  async send(message: MailMessage): Promise<{ id: string }> {
    let response: Awaited<ReturnType<Resend['emails']['send']>>;
    try {
      response = await this.resend.emails.send(
        {
          from: this.opts.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          tags: [{ name: 'template', value: tagValue(message.template) }],
        },
        { idempotencyKey: headerSafeKey(message.idempotencyKey) },
      );
    } catch (error) {
      throw new MailerError('transient', `resend: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.error) {
      throw new MailerError(DEFINITE.has(response.error.name) ? 'rejected' : 'transient', `resend ${response.error.name}: ${response.error.message}`);
    }
    return { id: response.data.id };
  }

  async sentMessage(id: string, opts: { signal?: AbortSignal } = {}): Promise<SentMessage | null> {
    let response: Awaited<ReturnType<Resend['emails']['get']>>;
    try {
      response = await this.resend.emails.get(encodeURIComponent(id), { signal: opts.signal });
    } catch (error) {
      throw new MailerError('transient', `resend: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.error) {
      // Gone: past Resend's retention for the plan, or never sent from this account.
      if (response.error.name === 'not_found' || response.error.statusCode === 404) return null;
      throw new MailerError(DEFINITE_READ.has(response.error.name) ? 'rejected' : 'transient', `resend ${response.error.name}: ${response.error.message}`);
    }
    const e = response.data;
    return {
      id: e.id,
      from: e.from,
      to: Array.isArray(e.to) ? e.to : [e.to],
      subject: e.subject,
      text: e.text ?? null,
      html: e.html ?? null,
      createdAt: instant(e.created_at),
      lastEvent: e.last_event ?? null,
    };
  }
}

/** Resend writes "2023-04-03T22:13:42.674981+00:00" or "2026-10-01 12:00:00.000000+00"; anything else is no time. */
function instant(value: string | null | undefined): string | null {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Resend tags allow ASCII letters, digits, "_" and "-" only. */
function tagValue(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}
