// What the onboarding activities need to send an email, and what the console needs to show
// one as it was sent. Resend in production (resend-mailer.ts), a PostgreSQL outbox elsewhere
// (local-mailer.ts).

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The template it was rendered from, for the outbox and the provider's tags. */
  template: string;
  variables: Record<string, unknown>;
  /** The provider must deliver at most once per key (Resend: Idempotency-Key header, kept 24 h). */
  idempotencyKey: string;
}

/** A message as the provider holds it after sending it: what the recipient was sent. */
export interface SentMessage {
  id: string;
  from: string;
  to: string[];
  subject: string;
  /** The plain-text body. The templates render text only (email-templates.ts). */
  text: string | null;
  /** An HTML body, when the message has one; the console never puts it into its DOM (docs/decisions/080). */
  html: string | null;
  /** When the provider accepted it (ISO); null when its answer gave no readable time. */
  createdAt: string | null;
  /** The provider's last delivery event (Resend: delivered, bounced, …); null when it keeps none. */
  lastEvent: string | null;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ id: string }>;
  /**
   * The message sent under the provider's id, for the console. null when the provider no longer
   * has it (retention, deleted, sent from another account): an answer, not a failure. A
   * MailerError when it gave no usable answer (unreachable, rate limited, a key that may not read).
   */
  sentMessage(id: string, opts?: { signal?: AbortSignal }): Promise<SentMessage | null>;
}

export class MailerError extends Error {
  override name = 'MailerError';
  constructor(
    /** rejected: the provider refused this message for good; transient: no definite answer, retry with the same key. */
    readonly kind: 'rejected' | 'transient',
    message: string,
  ) {
    super(message);
  }
}
