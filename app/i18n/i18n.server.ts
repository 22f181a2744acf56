// The operator's language on the server (remix-i18next): a signed-in operator's stored choice
// (Preferences), else the browser's Accept-Language, else English. getFixedT gives actions and
// loaders the same words the pages use.
import { RemixI18Next } from 'remix-i18next/server';
import { getStaff } from '~/server/auth.server';
import { DEFAULT_LANGUAGE, LANGUAGES } from '~/preferences/languages';
import { i18nOptions } from './config';

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    // No ?lng= and no cookie: the stored preference is the one switch.
    order: ['custom', 'header'],
    findLocale: async (request) => (await getStaff(request).catch(() => null))?.language ?? null,
  },
  i18next: i18nOptions,
});
