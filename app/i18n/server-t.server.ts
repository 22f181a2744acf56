// The server's i18next: one instance per language for the process, initialised once with every
// bundled translation (no instance per request: that cost ~1–2 ms a page). The server render
// (entry.server.tsx) hands the operator's one to react-i18next; words written by loaders and
// actions (results, errors) come from serverT. Nothing changes an instance after it is made:
// the language is fixed per instance, the resources are bundled.
import { createInstance, type i18n, type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { asLanguage, type Language } from '~/preferences/languages';
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
export function serverT<N extends Namespace>(language: Language | string | null | undefined, ns: N): TFunction<N> {
  return i18nFor(language).getFixedT(asLanguage(language), ns) as TFunction<N>;
}
