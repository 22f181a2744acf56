// A button that changes something: it asks for confirmation (stating what will happen and
// collecting a reason where needed), submits once, and shows the result.
import { useMachine } from '@xstate/react';
import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef, type ReactNode } from 'react';
import { fromPromise } from 'xstate';
import { consoleActionMachine, failureKindOf, type ActionResult, type SubmitInput } from '../../machines';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';

export interface ActionDialogProps {
  label: string;
  /** What will happen, in one or two sentences, shown before confirming. */
  confirmText: ReactNode;
  actionUrl: string;
  /** Extra inputs (named) shown in the confirmation form. */
  children?: ReactNode;
  reason?: 'required' | 'optional' | 'none';
  danger?: boolean;
  disabled?: boolean;
  disabledReason?: string;
  testId?: string;
  onDone?: (result: ActionResult) => void;
}

export async function postAction({ target: actionUrl, idempotencyKey, fields }: SubmitInput): Promise<ActionResult> {
  const body = new FormData();
  body.set('idempotencyKey', idempotencyKey);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  const res = await fetch(actionUrl, { method: 'POST', body, headers: { Accept: 'application/json' } });
  const data = (await res.json().catch(() => null)) as { ok?: boolean; error?: string; result?: { message?: string } } | null;
  const t = i18next.getFixedT(null, 'common');
  if (res.ok && data?.ok) return { ok: true, message: data.result?.message ?? t('dialog.done'), data: data.result };
  return { ok: false, failure: failureKindOf(res.status), message: data?.error ?? t('dialog.serverAnswered', { status: res.status }) };
}

// Provided once for every dialog: each actor is given its URL as input (a machine provided per
// dialog was rebuilt at every server render, ≈ 0.4 ms of CPU each: docs/performance.md).
const dialogMachine = consoleActionMachine.provide({ actors: { submit: fromPromise<ActionResult, SubmitInput>(({ input }) => postAction(input)) } });

/**
 * One dialog per target: a page that stays mounted while its URL changes (another trial, another
 * workflow) gets a new dialog, with its own actor for the new URL, and nothing of the last
 * target's result.
 */
export function ActionDialog(props: ActionDialogProps) {
  return <DialogFor key={props.actionUrl} {...props} />;
}

function DialogFor(props: ActionDialogProps) {
  const { label, confirmText, actionUrl, children, reason = 'optional', danger, disabled, disabledReason, testId, onDone } = props;
  const revalidator = useRevalidator();
  const { t } = useTranslation();
  // The actor posts to the URL it started with (DialogFor is keyed by it).
  const [state, send] = useMachine(dialogMachine, { input: { target: actionUrl } });
  const reported = useRef<ActionResult | null>(null);
  useEffect(() => {
    const result = state.context.result;
    if (state.matches('done') && result && reported.current !== result) {
      reported.current = result;
      revalidator.revalidate();
      onDone?.(result);
    }
    // The target changed under the operator: show them what it is now.
    if (state.matches('failed') && result?.failure === 'stale' && reported.current !== result) {
      reported.current = result;
      revalidator.revalidate();
    }
  }, [state, revalidator, onDone]);

  // Keyboard: opening moves focus into the form (its first field, else Confirm), Esc cancels,
  // and closing puts focus back on the button that opened it.
  const form = useRef<HTMLFormElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const confirming = state.matches('confirming');
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) form.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea, button[type=submit]')?.focus();
    else if (wasConfirming.current) opener.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const result = state.context.result;
  return (
    <div className="action" data-testid={testId} data-state={String(state.value)}>
      {!state.matches('confirming') && (
        <button
          ref={opener}
          type="button"
          className={danger ? 'danger' : undefined}
          disabled={disabled || state.matches('submitting')}
          title={disabled ? disabledReason : undefined}
          onClick={() => send({ type: 'REQUEST' })}
        >
          {state.matches('submitting') ? `${label}…` : label}
        </button>
      )}
      {state.matches('confirming') && (
        <form
          ref={form}
          className="card stack confirm"
          aria-label={label}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              send({ type: 'CANCEL' });
            }
          }}
          onSubmit={(e) => {
            e.preventDefault();
            const fields = Object.fromEntries(
              [...new FormData(e.currentTarget).entries()].map(([k, v]) => [k, String(v)]),
            );
            send({ type: 'CONFIRM', fields });
          }}
        >
          <p>{confirmText}</p>
          {children}
          {reason !== 'none' && (
            <label>
              {reason === 'required' ? t('dialog.reason') : t('dialog.reasonOptional')}
              <textarea name="reason" required={reason === 'required'} minLength={reason === 'required' ? 3 : undefined} maxLength={500} rows={2} />
            </label>
          )}
          <div className="row">
            <button type="submit" className={danger ? 'danger' : undefined}>{t('dialog.confirm', { label })}</button>{' '}
            <button type="button" className="secondary" onClick={() => send({ type: 'CANCEL' })}>{t('dialog.cancel')}</button>
          </div>
        </form>
      )}
      {state.matches('done') && result && <p className="ok" role="status">{result.message}</p>}
      {state.matches('failed') && result && (
        <p className="error" role="alert" data-failure={result.failure}>
          {result.message}
          {result.failure === 'stale' && ` ${t('dialog.stale')}`}{' '}
          {result.failure === 'retryable'
            ? <button type="button" className="secondary" onClick={() => send({ type: 'RETRY' })}>{t('dialog.retry')}</button>
            : <button type="button" className="secondary" onClick={() => send({ type: 'RESET' })}>{t('dialog.close')}</button>}
        </p>
      )}
    </div>
  );
}
