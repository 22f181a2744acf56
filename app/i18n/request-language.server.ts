// The language a request is answered in, once the session has been read: requireTenant records
// the operator's stored language against the request, so helpers that only get the request
// (parseForm, parseSearch) write their refusals in it without a second session lookup.
import { DEFAULT_LANGUAGE, type Language } from '../preferences/languages';

const languages = new WeakMap<Request, Language>();

export function rememberLanguage(request: Request, language: Language) {
  languages.set(request, language);
}

/** The operator's language when the request is a signed-in one already checked; English otherwise. */
export function requestLanguage(request: Request): Language {
  return languages.get(request) ?? DEFAULT_LANGUAGE;
}
