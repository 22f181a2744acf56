// The console's i18next settings, shared by the server render (entry.server.tsx, i18n.server.ts)
// and the browser (entry.client.tsx): both hold every translation (resources.ts), so the first
// render and the hydration write the same words without fetching anything.
import type { InitOptions } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES } from '~/preferences/languages';
import { resources, NAMESPACES } from './resources';

export const i18nOptions = {
  supportedLngs: [...LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: 'common',
  ns: [...NAMESPACES],
  resources,
  // React escapes what it renders; i18next must not escape it a second time.
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
  // Every resource is bundled: initialisation is synchronous, no backend, no flash of keys.
  initImmediate: false,
  returnNull: false,
} satisfies InitOptions;
