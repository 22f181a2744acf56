// A part of a page that streams in after the page itself (a loader's defer()): its placeholder
// until the data arrives, then its content, or a sentence saying that part could not be read
// while the rest of the page stays (docs/decisions/110).
import { Await, useAsyncError } from '@remix-run/react';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function StreamedError({ what }: { what: string }) {
  const error = useAsyncError();
  const { t } = useTranslation();
  return <p className="error" role="alert">{t('streamed.failed', { what, error: error instanceof Error ? error.message : String(error) })}</p>;
}

export function Streamed<T>({ resolve, fallback, what, children }: {
  resolve: Promise<T>;
  /** Shown until the data arrives (null: nothing). */
  fallback: ReactNode;
  /** The part, named for the error sentence: "The history". */
  what: string;
  children: (value: T) => ReactNode;
}) {
  return (
    <Suspense fallback={fallback}>
      <Await resolve={resolve} errorElement={<StreamedError what={what} />}>{(value: T) => children(value)}</Await>
    </Suspense>
  );
}
