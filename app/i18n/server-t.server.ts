// Words written on the server (action results, errors) in the operator's language: the process's
// one i18next instance (fixed-t.ts). The language comes from the page's context (requireTenant's
// ctx.language) or, signed out, from i18nServer.getLocale(request).
export { fixedT as serverT } from './fixed-t';
