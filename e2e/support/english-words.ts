// Words that betray an English page to a French operator, read from the console's own resources
// (app/i18n/resources.ts): every word of an English value whose French value is different, that
// no French value of any namespace uses (so "Workflows", "Temporal", "page" or "support", which
// French text uses too, never count), and that is not a French word or a name on the list below.
// A namespace added to resources.ts is covered without touching this file.
import { resources } from '../../app/i18n/resources';

type Tree = { readonly [key: string]: string | Tree };

/** Words that are French too, or names and wire words shown as such, which an English value may hold. */
const NOT_ENGLISH_ONLY = new Set(
  [
    'vigie', 'temporal', 'stripe', 'postgresql', 'iana', 'utc', 'csv', 'json', 'api', 'url', 'id', 'ids', 'kanban', 'healthz',
    'europe', 'paris', 'yyyy', 'commandeid', 'oncall', 'admin', 'support', 'finance',
    // French words that English values happen to use.
    'action', 'actions', 'date', 'dates', 'message', 'messages', 'minute', 'minutes', 'note', 'notes', 'type', 'types', 'total',
    'client', 'clients', 'code', 'codes', 'description', 'question', 'option', 'options', 'signal', 'global', 'simple', 'statut',
    'transition', 'transitions', 'session', 'sessions', 'incident', 'incidents', 'position', 'version', 'versions', 'source', 'sources',
    'page', 'pages', 'ligne', 'zone', 'zones', 'rapide', 'direct', 'normal', 'format', 'table', 'tables', 'ordre', 'solution', 'service',
    'services', 'article', 'articles', 'mission', 'email', 'emails', 'mail', 'mails', 'menu', 'plan', 'plans', 'attention', 'information',
  ].map((w) => w.toLowerCase()),
);

const wordsOf = (text: string) =>
  text
    .replace(/\{\{[^}]*\}\}/g, ' ') // i18next placeholders
    .replace(/<[^>]*>/g, ' ') // <strong> in a Trans value
    .match(/\p{L}+/gu)
    ?.filter((w) => w.length >= 3)
    .map((w) => w.toLowerCase()) ?? [];

function leaves(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

/** The English-only words, each with one key it comes from ("common:dialog.cancel"), for a report. */
export function englishOnlyWords(): Map<string, string> {
  const en = resources.en as unknown as Record<string, Tree>;
  const fr = resources.fr as unknown as Record<string, Tree>;
  const french = new Set(Object.values(fr).flatMap((tree) => leaves(tree).flatMap(([, v]) => wordsOf(v))));
  const found = new Map<string, string>();
  for (const [ns, tree] of Object.entries(en)) {
    const frValues = new Map(leaves(fr[ns] ?? {}));
    for (const [key, value] of leaves(tree)) {
      if (frValues.get(key) === value) continue;
      for (const w of wordsOf(value)) {
        if (!french.has(w) && !NOT_ENGLISH_ONLY.has(w) && !found.has(w)) found.set(w, `${ns}:${key}`);
      }
    }
  }
  return found;
}

/**
 * The English-only words a text contains. Tokens holding a digit, `@` or `_`, a `/`, `:` or `.`
 * between letters, or a hyphen between letters (ids, emails, paths, wire names such as
 * `read:trial` or `bienvenue-trial`, dates) are left out first: they are data. So are the `data` strings (names of the test's tenants, staff, trial users).
 */
export function englishWordsIn(text: string, words: Map<string, string>, data: string[] = []): string[] {
  // The stand-ins' fault messages ("refund: refused by the provider (injected)") are what an
  // outside system answered: data, shown as it came, like a real provider's English message.
  let cleaned = text.replace(/(?:[\p{L}.]+: )?[^\n:«»]*\(injected\)/gu, ' ');
  for (const d of data.filter(Boolean).sort((a, b) => b.length - a.length)) cleaned = cleaned.split(d).join(' ');
  // Kebab-case tokens (an email template `bienvenue-trial`, a plan `trial-14j`) are ids too.
  const tokens = cleaned.split(/\s+/).filter((t) => !/[\d@_]|[\p{L}-][:/.][\p{L}-]|\p{L}-\p{L}/u.test(t));
  const hits = new Set<string>();
  for (const token of tokens) for (const w of wordsOf(token)) if (words.has(w)) hits.add(w);
  return [...hits].sort();
}
