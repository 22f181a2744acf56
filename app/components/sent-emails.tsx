// The trial page's emails, each opened to what the user received: subject, recipient, sent time
// and body as the provider holds them (docs/decisions/080). The body is text put into the page as
// text (React escapes it): a template variable such as a first name never becomes markup here.
import type { SentEmailView } from '~/trials/status.server';
import { zoned } from './time';

const attempts = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

const STATUS: Record<SentEmailView['status'], string> = { sent: 'sent', failed: 'not delivered', sending: 'being sent' };

function Content({ e, tz }: { e: SentEmailView; tz: string }) {
  const c = e.content;
  switch (c.kind) {
    case 'received':
      return (
        <>
          <dl className="kv">
            <dt>Subject</dt><dd data-testid="email-subject">{c.subject}</dd>
            <dt>To</dt><dd>{c.to.join(', ') || e.recipient}</dd>
            <dt>From</dt><dd>{c.from}</dd>
            <dt>Sent</dt><dd><time dateTime={e.at}>{zoned(e.at, tz)}</time></dd>
            {c.lastEvent && <><dt>Provider's last event</dt><dd>{c.lastEvent}</dd></>}
            <dt>Provider id</dt><dd><code>{e.providerMessageId}</code></dd>
          </dl>
          {c.bodyFormat === 'html-source' && <p className="muted">The message has an HTML body only: its source is shown as text, not rendered.</p>}
          <pre className="email-body" data-testid="email-body">{c.body}</pre>
        </>
      );
    case 'gone':
      return (
        <p data-testid="email-gone">
          Sent to {e.recipient} at <time dateTime={e.at}>{zoned(e.at, tz)}</time> (provider id <code>{e.providerMessageId}</code>), but the mail provider no longer has
          the message: its subject and body cannot be shown.
        </p>
      );
    case 'unreadable':
      return (
        <p className="error" data-testid="email-unreadable">
          Sent to {e.recipient} at <time dateTime={e.at}>{zoned(e.at, tz)}</time>; the message could not be read from the mail provider: {c.reason}
        </p>
      );
    case 'not-delivered':
      return (
        <p className="error" data-testid="email-not-delivered">
          Not delivered to {e.recipient} — {e.error ?? 'refused by the provider'} ({attempts(e.attempts)}, last at <time dateTime={e.at}>{zoned(e.at, tz)}</time>). The user received nothing.
        </p>
      );
    case 'pending':
      return (
        <p data-testid="email-pending">
          Being sent to {e.recipient} ({attempts(e.attempts)} so far{e.error ? `; last error: ${e.error}` : ''}): not confirmed delivered yet.
        </p>
      );
  }
}

export function SentEmails({ emails, tz }: { emails: SentEmailView[]; tz: string }) {
  if (emails.length === 0) return <p className="muted">No email sent yet.</p>;
  return (
    <ul className="plain sent-emails">
      {emails.map((e) => (
        <li key={e.template}>
          <details data-testid={`email-${e.template}`}>
            <summary>
              <code>{e.template}</code> <span className={`badge ${e.status === 'failed' ? 'failed' : e.status === 'sent' ? 'completed' : 'running'}`}>{STATUS[e.status]}</span>{' '}
              {e.content.kind === 'received' ? <>{e.content.subject} · </> : null}
              <time dateTime={e.at} className="muted">{zoned(e.at, tz)}</time>
            </summary>
            <Content e={e} tz={tz} />
          </details>
        </li>
      ))}
    </ul>
  );
}
