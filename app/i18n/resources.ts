// Every translation of the console, per language and namespace (one namespace per domain folder).
// English is the source: its shape is the type of every other language (locales/shape.ts), so a
// key missing in French, or a key used in code that English lacks, fails the typecheck.
import { common as enCommon } from './locales/en/common';
import { common as frCommon } from './locales/fr/common';
import { finance as enFinance } from './locales/en/finance';
import { finance as frFinance } from './locales/fr/finance';

export const resources = {
  en: { common: enCommon, finance: enFinance },
  fr: { common: frCommon, finance: frFinance },
} as const;

export const NAMESPACES = Object.keys(resources.en) as Array<keyof (typeof resources)['en']>;
export type Namespace = (typeof NAMESPACES)[number];
