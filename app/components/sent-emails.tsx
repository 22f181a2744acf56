// The trial page's emails, each opened to what the user received: subject, recipient, sent time
// and body as the provider holds them (docs/decisions/080). The body is text put into the page as
// text (React escapes it): a template variable such as a first name never becomes markup here.
// Template ids are the workflow's wire names, shown as they are.
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SentEmailView, UnreadableReason } from '~/trials/status.server';
import { zoned } from './time';

// A sentence with elements in it (a <time>, a <code>): the words come from t() as plain text, each
// element's place held by a marker, and the pieces are put in the page by React, which escapes them.
// (Trans would parse the interpolated recipient and provider reason as markup.)
const MARK = '\u0001';
const slot = (name: string) => `${MARK}${name}${MARK}`;
function withElements(text: string, elements: Record<string, ReactNode>) {
  return text.split(MARK).map((piece, i) => <Fragment key={i}>{i % 2 === 1 && piece in elements ? elements[piece] : piece}</Fragment>);
}

const BADGE: Record<SentEmailView['status'], string> = { sent: 'completed', failed: 'failed', sending: 'running' };

function Content({ e, tz }: { e: SentEmailView; tz: string }) {
  const { t } = useTranslation('trials');
  const c = e.content;
  const at = zoned(e.at, tz);
  const time = <time dateTime={e.at}>{at}</time>;
  const attempts = t('attempts', { count: e.attempts });
  const reasonWords = (r: UnreadableReason) => (r.code === 'no-id' ? t('emails.reason.noId') : r.code === 'late' ? t('emails.reason.late', { seconds: r.seconds }) : r.message);
  switch (c.kind) {
    case 'received':
      return (
        <>
          <dl className="kv">
            <dt>{t('emails.subject')}</dt><dd data-testid="email-subject">{c.subject}</dd>
            <dt>{t('emails.to')}</dt><dd>{c.to.join(', ') || e.recipient}</dd>
            <dt>{t('emails.from')}</dt><dd>{c.from}</dd>
            <dt>{t('emails.sent')}</dt><dd><time dateTime={e.at}>{at}</time></dd>
            {c.lastEvent && <><dt>{t('emails.lastEvent')}</dt><dd>{c.lastEvent}</dd></>}
            <dt>{t('emails.providerId')}</dt><dd><code>{e.providerMessageId}</code></dd>
          </dl>
          {c.bodyFormat === 'html-source' && <p className="muted">{t('emails.htmlOnly')}</p>}
          <pre className="email-body" data-testid="email-body">{c.body}</pre>
        </>
      );
    case 'gone':
      return (
        <p data-testid="email-gone">
          {withElements(t('emails.gone', { recipient: e.recipient, at: slot('at'), id: slot('id') }), { at: time, id: <code>{e.providerMessageId}</code> })}
        </p>
      );
    case 'unreadable':
      return (
        <p className="error" data-testid="email-unreadable">
          {withElements(t('emails.unreadable', { recipient: e.recipient, at: slot('at'), reason: reasonWords(c.reason) }), { at: time })}
        </p>
      );
    case 'not-delivered':
      return (
        <p className="error" data-testid="email-not-delivered">
          {withElements(t('emails.notDelivered', { recipient: e.recipient, at: slot('at'), attempts, reason: e.error ?? t('page.refusedByProvider') }), { at: time })}
        </p>
      );
    case 'pending':
      return (
        <p data-testid="email-pending">
          {e.error ? t('emails.pendingWithError', { recipient: e.recipient, attempts, error: e.error }) : t('emails.pending', { recipient: e.recipient, attempts })}
        </p>
      );
  }
}

export function SentEmails({ emails, tz }: { emails: SentEmailView[]; tz: string }) {
  const { t } = useTranslation('trials');
  if (emails.length === 0) return <p className="muted">{t('emails.none')}</p>;
  return (
    <ul className="plain sent-emails">
      {emails.map((e) => (
        <li key={e.template}>
          <details data-testid={`email-${e.template}`}>
            <summary>
              <code>{e.template}</code> <span className={`badge ${BADGE[e.status]}`}>{t(`emails.status.${e.status}`)}</span>{' '}
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
