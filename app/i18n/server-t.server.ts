// Words written on the server (action results, errors) in the operator's language, and the
// instance the server render uses: the process's i18next instances (fixed-t.ts). The language
// comes from the page's context (requireTenant's ctx.language) or, signed out, from
// i18nServer.getLocale(request).
export { fixedT as serverT, i18nFor } from './fixed-t';
