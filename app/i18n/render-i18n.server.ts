// The i18next instance a server render hands to react-i18next: one per language for the process,
// initialised once with every bundled translation. A new instance per request (createInstance +
// init, every namespace of both languages) was a fixed cost on every page (docs/performance.md).
// Sharing is safe: a server render never changes the language (useChangeLanguage acts in an
// effect, which runs in the browser only) and the resources are read-only.
import { createInstance, type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { asLanguage, type Language } from '~/preferences/languages';
import { i18nOptions } from './config';

const instances = new Map<Language, i18n>();

export function renderI18n(language: string | null | undefined): i18n {
  const lng = asLanguage(language);
  let instance = instances.get(lng);
  if (!instance) {
    instance = createInstance();
    // Synchronous: every resource is bundled (initImmediate: false).
    void instance.use(initReactI18next).init({ ...i18nOptions, lng });
    instances.set(lng, instance);
  }
  return instance;
}
