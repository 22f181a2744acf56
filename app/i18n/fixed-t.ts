// t() for a given language outside React: one i18next instance per process (the server, the
// browser), initialised once with every bundled translation, so getFixedT costs a lookup. Used by
// serverT (loaders and actions) and by meta functions (page titles), which run before any hook.
import { createInstance, type TFunction } from 'i18next';
import { asLanguage, type Language } from '../preferences/languages';
import { i18nOptions } from './config';
import type { Namespace } from './resources';

const instance = createInstance();
void instance.init({ ...i18nOptions, lng: i18nOptions.fallbackLng });

/** t() for one namespace (and `common`, under `common:`), in the given language. */
export function fixedT<N extends Namespace>(language: Language | string | null | undefined, ns: N): TFunction<N> {
  return instance.getFixedT(asLanguage(language), ns) as TFunction<N>;
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
