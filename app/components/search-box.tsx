// The console's one search box (top bar) and the same form on the result page. `/` or Ctrl-K
// (⌘K) focuses the top bar's box, unless the operator is typing in another field.
import { Form } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SEARCH_MAX } from '~/search/labels';

const NOT_TYPED_IN = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** True while the focus is somewhere keys type text, so a shortcut must not take them. */
function typingIn(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return el instanceof HTMLInputElement && !NOT_TYPED_IN.has(el.type);
}

export function isSearchShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  if (e.altKey) return false;
  if (e.key === '/') return !e.ctrlKey && !e.metaKey;
  return (e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'k';
}

interface FormProps {
  tenantId: string;
  q?: string;
  all?: boolean;
  /** Offer "all my tenants" (only worth it with more than one). */
  canSearchAll?: boolean;
  className?: string;
  inputRef?: React.Ref<HTMLInputElement>;
  id?: string;
  withButton?: boolean;
}

export function SearchForm({ tenantId, q = '', all = false, canSearchAll = true, className, inputRef, id = 'search', withButton = true }: FormProps) {
  const { t } = useTranslation('search');
  return (
    // A GET form: it works without JavaScript, and the browser's history keeps each search.
    <Form method="get" action={`/t/${tenantId}/search`} role="search" className={className} aria-label={t('form.label')}>
      <input
        ref={inputRef}
        id={`${id}-q`}
        name="q"
        type="search"
        defaultValue={q}
        key={q}
        required
        maxLength={SEARCH_MAX}
        placeholder={t('form.placeholder')}
        aria-label={t('form.input')}
        title={t('form.hint')}
        aria-keyshortcuts="/ Control+K Meta+K"
      />
      {canSearchAll && (
        <label className="search-all">
          <input type="checkbox" name="all" value="1" defaultChecked={all} key={String(all)} /> {t('form.allTenants')}
        </label>
      )}
      {/* The top bar's box submits with Enter, as search fields do; the result page shows a button. */}
      {withButton && <button type="submit" className="secondary">{t('form.submit')}</button>}
    </Form>
  );
}

/** The top bar's box, with its keyboard shortcut. */
export function SearchBox({ tenantId, canSearchAll }: { tenantId: string; canSearchAll: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !isSearchShortcut(e) || typingIn(document.activeElement)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return <SearchForm tenantId={tenantId} canSearchAll={canSearchAll} className="global-search" inputRef={input} id="topbar-search" withButton={false} />;
}
