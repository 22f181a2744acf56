// t() for a given language outside React: one i18next instance per language and process (the
// server, the browser), initialised once with every bundled translation (no instance per request:
// that cost 1–2 ms a page), so getFixedT costs a lookup. The server render hands the operator's
// instance to react-i18next (entry.server.tsx); loaders and actions write with serverT
// (server-t.server.ts); meta functions (page titles) run before any hook and use pageTitle.
// Nothing changes an instance once made: its language is fixed, the resources are bundled.
import { createInstance, type i18n, type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { asLanguage, type Language } from '../preferences/languages';
import { i18nOptions } from './config';
import type { Namespace } from './resources';

const instances = new Map<Language, i18n>();

/** The process-wide i18next instance of a language (synchronous: resources are bundled). */
export function i18nFor(language: Language | string | null | undefined): i18n {
  const lng = asLanguage(language);
  let instance = instances.get(lng);
  if (!instance) {
    instance = createInstance();
    void instance.use(initReactI18next).init({ ...i18nOptions, lng });
    instances.set(lng, instance);
  }
  return instance;
}

/** t() for one namespace (and `common`, under `common:`), in the given language. */
export function fixedT<N extends Namespace>(language: Language | string | null | undefined, ns: N): TFunction<N> {
  return i18nFor(language).getFixedT(asLanguage(language), ns) as TFunction<N>;
}

/** The language the root loader chose for the page, from a meta function's `matches`. */
export function languageOfMatches(matches: ReadonlyArray<{ id: string; data?: unknown }>): Language {
  const root = matches.find((m) => m.id === 'root')?.data as { language?: string } | undefined;
  return asLanguage(root?.language);
}

/** A page's title, "<words> · Vigie", in the page's language. */
export function pageTitle<N extends Namespace>(matches: ReadonlyArray<{ id: string; data?: unknown }>, ns: N, title: (t: TFunction<N>) => string): string {
  return `${title(fixedT(languageOfMatches(matches), ns))} · Vigie`;
}
