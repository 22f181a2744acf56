// A mailer that "delivers" into PostgreSQL (local_mail_messages), for development and tests.
// Like Resend, a repeated idempotency key delivers nothing new: it counts the request and
// answers with the first message. Faults come from provider_faults (operations "mail.send" and,
// for the console's read, "mail.read").
import { randomUUID } from 'node:crypto';
import type { Db } from '../prisma/db';
import { consumeFault, pause } from './faults';
import { MailerError, type MailMessage, type Mailer, type SentMessage } from './mailer';

export class LocalMailer implements Mailer {
  constructor(
    private readonly db: Db,
    private readonly from = 'Vigie <no-reply@vigie.local>',
  ) {}

  async send(message: MailMessage): Promise<{ id: string }> {
    const fault = await consumeFault(this.db, 'mail.send', [message.idempotencyKey, message.to, message.template]);
    if (fault?.mode === 'timeout') throw new MailerError('transient', 'mail.send: no answer from the mail provider (injected timeout)');
    if (fault?.mode === 'reject' || fault?.mode === 'decline') throw new MailerError('rejected', `mail.send: ${message.to} refused by the mail provider (injected)`);
    if (fault?.mode === 'delay') await pause(fault.delayMs);

    const rows = await this.db.$queryRaw<Array<{ id: string }>>`
      INSERT INTO local_mail_messages (id, idempotency_key, recipient, sender, subject, body, template, variables)
      VALUES (${'msg_local_' + randomUUID().replaceAll('-', '')}, ${message.idempotencyKey}, ${message.to}, ${this.from},
              ${message.subject}, ${message.text}, ${message.template}, ${JSON.stringify(message.variables)}::jsonb)
      ON CONFLICT (idempotency_key) DO UPDATE
        SET request_count = local_mail_messages.request_count + 1, last_request_at = CURRENT_TIMESTAMP
      RETURNING id`;
    // Delivered and recorded; the answer is lost on the way back.
    if (fault?.mode === 'lost_answer') throw new MailerError('transient', 'mail.send: connection reset before the answer (injected)');
    return { id: rows[0]!.id };
  }

  /** The recorded message: subject and body exactly as send() stored them. A deleted row is a message the provider no longer has. */
  async sentMessage(id: string): Promise<SentMessage | null> {
    const fault = await consumeFault(this.db, 'mail.read', [id]);
    if (fault?.mode === 'timeout') throw new MailerError('transient', 'mail.read: no answer from the mail provider (injected timeout)');
    if (fault?.mode === 'reject') throw new MailerError('rejected', 'mail.read: the mail provider refused the read (injected)');
    if (fault?.mode === 'delay') await pause(fault.delayMs);
    const row = await this.db.localMailMessage.findUnique({ where: { id } });
    if (!row) return null;
    return {
      id: row.id,
      from: row.sender,
      to: [row.recipient],
      subject: row.subject,
      text: row.body,
      html: null,
      createdAt: row.createdAt.toISOString(),
      // The outbox records a delivery and nothing after it.
      lastEvent: null,
    };
  }
}
