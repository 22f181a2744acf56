// Every translation of the console, per language and namespace (one namespace per domain folder).
// English is the source: its shape is the type of every other language (locales/shape.ts), so a
// key missing in French, or a key used in code that English lacks, fails the typecheck.
import { admin as enAdmin } from './locales/en/admin';
import { auth as enAuth } from './locales/en/auth';
import { common as enCommon } from './locales/en/common';
import { finance as enFinance } from './locales/en/finance';
import { live as enLive } from './locales/en/live';
import { preferences as enPreferences } from './locales/en/preferences';
import { search as enSearch } from './locales/en/search';
import { trials as enTrials } from './locales/en/trials';
import { workflows as enWorkflows } from './locales/en/workflows';
import { admin as frAdmin } from './locales/fr/admin';
import { auth as frAuth } from './locales/fr/auth';
import { common as frCommon } from './locales/fr/common';
import { finance as frFinance } from './locales/fr/finance';
import { live as frLive } from './locales/fr/live';
import { preferences as frPreferences } from './locales/fr/preferences';
import { search as frSearch } from './locales/fr/search';
import { trials as frTrials } from './locales/fr/trials';
import { workflows as frWorkflows } from './locales/fr/workflows';

export const resources = {
  en: { common: enCommon, auth: enAuth, search: enSearch, preferences: enPreferences, live: enLive, admin: enAdmin, workflows: enWorkflows, trials: enTrials, finance: enFinance },
  fr: { common: frCommon, auth: frAuth, search: frSearch, preferences: frPreferences, live: frLive, admin: frAdmin, workflows: frWorkflows, trials: frTrials, finance: frFinance },
} as const;

export const NAMESPACES = Object.keys(resources.en) as Array<keyof (typeof resources)['en']>;
export type Namespace = (typeof NAMESPACES)[number];
