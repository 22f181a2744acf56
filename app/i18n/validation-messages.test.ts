// Every message a console schema writes (zod: `.min(3, '…')`, `{ message: '…' }`, …) is an English
// value of the resources, so a French operator reads it in French (known-message.ts translates a
// known sentence where it is shown). A new schema message left out of the resources fails here.
// Not the console's: the ingestion API (a machine-facing JSON API, English), the processes'
// environment checks (read by whoever deploys), the demo storefront (the tenants' own French).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resources } from './resources';

type Tree = { readonly [key: string]: string | Tree };
const ROOT = path.resolve(__dirname, '../..');
const NOT_THE_CONSOLE = [/^app\/ingest\//, /^app\/server\/env\.server\.ts$/, /^app\/routes\/demo\./, /^app\/i18n\//, /\.test\.tsx?$/];

/** Literal messages of schema checks, one line at a time (a message built from values is not one). */
const MESSAGE = /(?:\.(?:min|max|regex|length|refine|startsWith)\([^;\n]*?,\s*|\.(?:uuid|email|url|int|positive|nonnegative|datetime)\(|\b(?:message|invalid_type_error|required_error):\s*)'([^'{}$]{3,})'/g;

function englishValues(): Set<string> {
  const values = new Set<string>();
  const walk = (tree: Tree) => Object.values(tree).forEach((v) => (typeof v === 'string' ? values.add(v) : walk(v)));
  Object.values(resources.en).forEach((tree) => walk(tree as Tree));
  return values;
}

function schemaMessages(): Array<{ file: string; message: string }> {
  const found: Array<{ file: string; message: string }> = [];
  for (const dir of ['app', 'finance']) {
    for (const entry of readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]) {
      const file = `${dir}/${entry.split(path.sep).join('/')}`;
      if (!/\.tsx?$/.test(file) || NOT_THE_CONSOLE.some((re) => re.test(file))) continue;
      for (const m of readFileSync(path.join(ROOT, file), 'utf8').matchAll(MESSAGE)) found.push({ file, message: m[1] });
    }
  }
  return found;
}

describe('schema messages', () => {
  it('are found in the console’s schemas (the scan reads what it should)', () => {
    const messages = schemaMessages().map((m) => m.message);
    // Two the console is known to write: a shared field's and a domain's.
    expect(messages).toContain('is not a workflow id');
    expect(messages).toContain('give the view a name');
  });

  it('are each an English value of the resources, so French operators read them in French', () => {
    const known = englishValues();
    expect(schemaMessages().filter((m) => !known.has(m.message)).map((m) => `${m.file}: ${m.message}`)).toEqual([]);
  });
});
