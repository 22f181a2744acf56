// Words written on the server (action results, errors) in the operator's language. One i18next
// instance for the process, initialised once with every bundled translation; getFixedT costs a
// lookup, not an instance per request. The language comes from the page's context
// (requireTenant's ctx.language) or, signed out, from i18nServer.getLocale(request).
import { createInstance, type TFunction } from 'i18next';
import { asLanguage, type Language } from '~/preferences/languages';
import { i18nOptions } from './config';
import type { Namespace } from './resources';

const instance = createInstance();
void instance.init({ ...i18nOptions, lng: i18nOptions.fallbackLng });

/** t() for one namespace (and `common`, under `common:`), in the given language. */
export function serverT<N extends Namespace>(language: Language | string | null | undefined, ns: N): TFunction<N> {
  return instance.getFixedT(asLanguage(language), ns) as TFunction<N>;
}
