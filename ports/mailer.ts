// What the onboarding activities need to send an email. Resend in production
// (resend-mailer.ts), a PostgreSQL outbox elsewhere (local-mailer.ts).

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

export interface Mailer {
  send(message: MailMessage): Promise<{ id: string }>;
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
