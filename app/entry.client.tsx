// The browser's entry: i18next starts in the language the server rendered (<html lang>) with
// every translation bundled, so hydration writes exactly the server's words.
import { RemixBrowser } from '@remix-run/react';
import i18next from 'i18next';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { i18nOptions } from './i18n/config';

void i18next
  .use(initReactI18next)
  .init({ ...i18nOptions, lng: document.documentElement.lang || undefined })
  .then(() => {
    startTransition(() => {
      hydrateRoot(
        document,
        <I18nextProvider i18n={i18next}>
          <StrictMode>
            <RemixBrowser />
          </StrictMode>
        </I18nextProvider>,
      );
    });
  });
