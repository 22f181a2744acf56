// The mailer on Resend. The idempotency key goes in the Idempotency-Key header: Resend then
// delivers at most once per key for 24 h, which closes the window where an email was sent
// but the worker died before recording it (docs/decisions/010).
import { Resend } from 'resend';
import { headerSafeKey } from './idempotency-key';
import { MailerError, type MailMessage, type Mailer } from './mailer';

// Resend's answers that will not change on a retry with the same key.
const DEFINITE = new Set(['validation_error', 'invalid_from_address', 'invalid_parameter', 'missing_required_field', 'invalid_attachment', 'invalid_idempotent_request', 'invalid_idempotency_key']);

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
}

/** Resend tags allow ASCII letters, digits, "_" and "-" only. */
function tagValue(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}
