// Every translation of the console, per language and namespace (one namespace per domain folder).
// English is the source: its shape is the type of every other language (locales/shape.ts), so a
// key missing in French, or a key used in code that English lacks, fails the typecheck.
import { common as enCommon } from './locales/en/common';
import { common as frCommon } from './locales/fr/common';
import { auth as enAuth } from './locales/en/auth';
import { auth as frAuth } from './locales/fr/auth';
import { search as enSearch } from './locales/en/search';
import { search as frSearch } from './locales/fr/search';
import { preferences as enPreferences } from './locales/en/preferences';
import { preferences as frPreferences } from './locales/fr/preferences';

export const resources = {
  en: { common: enCommon, auth: enAuth, search: enSearch, preferences: enPreferences },
  fr: { common: frCommon, auth: frAuth, search: frSearch, preferences: frPreferences },
} as const;

export const NAMESPACES = Object.keys(resources.en) as Array<keyof (typeof resources)['en']>;
export type Namespace = (typeof NAMESPACES)[number];
