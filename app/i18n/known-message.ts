// A sentence written in English by code that has no language at hand (a zod schema's message, an
// error thrown deep in a domain module) is translated when it is shown, if it is the English value
// of a key of any namespace: the English resources are the one list of such sentences, so a
// namespace that adds its schema messages to its resources gets them translated everywhere.
import type { TFunction } from 'i18next';
import { resources, type Namespace } from './resources';

type Tree = { readonly [key: string]: string | Tree };

/** English sentence (without {{placeholders}}) → "namespace:key.path", built once. */
let index: Map<string, string> | null = null;
function knownMessages(): Map<string, string> {
  if (index) return index;
  const found = new Map<string, string>();
  const walk = (ns: string, tree: Tree, prefix: string) => {
    for (const [k, v] of Object.entries(tree)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'string') {
        if (!v.includes('{{') && !found.has(v)) found.set(v, `${ns}:${key}`);
      } else walk(ns, v, key);
    }
  };
  for (const [ns, tree] of Object.entries(resources.en)) walk(ns, tree as Tree, '');
  index = found;
  return found;
}

/** The message in the language of `t`, when it is a known English sentence; else unchanged. */
export function translateKnown(t: TFunction<Namespace>, message: string): string {
  const key = knownMessages().get(message);
  return key ? (t as unknown as (k: string) => string)(key) : message;
}
