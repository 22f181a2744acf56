// The input-hygiene rule: what it refuses, with a 400 naming the field, and what it lets through.
import { describe, expect, it } from 'vitest';
import { jsonProblem, parsedJsonProblem, requireCleanEntries, requireCleanUrl, textProblem } from './hygiene.server';

const refusal = async (f: () => void) => {
  try {
    f();
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, error: ((await thrown.json()) as { error: string }).error };
    throw thrown;
  }
  return null;
};

describe('textProblem', () => {
  it('lets ordinary text through, accents, emoji, tabs and line breaks included', () => {
    for (const ok of ['Camille Martin', 'fonctionnalitéActivée', 'note\nsur deux lignes\tet tab', '🚀 ok', '']) expect(textProblem(ok)).toBeNull();
  });

  it.each([
    ['a\u0000b', /U\+0000/],
    ['\u001b[31m', /U\+001B/],
    ['del\u007f', /U\+007F/],
    ['\ud800', /surrogate/],
    ['x\udc00y', /surrogate/],
  ])('refuses %j', (value, problem) => {
    expect(textProblem(value)).toMatch(problem);
  });

  it('bounds the length when asked', () => {
    expect(textProblem('x'.repeat(11), 10)).toMatch(/too long \(11 characters, at most 10\)/);
  });
});

describe('requests', () => {
  it('names the form field or query parameter that is dirty, with a 400', async () => {
    expect(await refusal(() => requireCleanEntries([['reason', 'ok'], ['fonctionnalité', 'a\u0000']]))).toEqual({ status: 400, error: 'fonctionnalité: contains a control character (U+0000)' });
    expect(await refusal(() => requireCleanUrl(new Request('http://x/t/a/trials?q=%00')))).toEqual({ status: 400, error: 'q: contains a control character (U+0000)' });
    expect(await refusal(() => requireCleanUrl(new Request('http://x/t/a/workflows/abc%00def')))).toMatchObject({ status: 400, error: expect.stringMatching(/^URL: a path segment contains a control character/) });
    expect(await refusal(() => requireCleanUrl(new Request('http://x/t/a/workflows/%ED%A0%80')))).toMatchObject({ status: 400 });
    expect(await refusal(() => requireCleanUrl(new Request('http://x/t/a/workflows/%E0%A4%A')))).toMatchObject({ status: 400, error: 'URL: a path segment is not valid percent-encoded UTF-8' });
    expect(await refusal(() => requireCleanUrl(new Request(`http://x/t/a/trials?q=${'a'.repeat(2001)}`)))).toMatchObject({ status: 400, error: expect.stringMatching(/^q: is too long/) });
    expect(await refusal(() => requireCleanUrl(new Request('http://x/t/a/trials?q=caf%C3%A9&phase=inscription')))).toBeNull();
  });

  it('finds a dirty string or key anywhere in an ingested document, with its path', () => {
    expect(jsonProblem({ events: [{ ok: 'x' }, { context: { nom: 'a\u0000' } }] })).toEqual({ path: 'body.events[1].context.nom', problem: 'contains a control character (U+0000)' });
    expect(jsonProblem({ events: [{ ['k\ud800']: 1 }] })).toMatchObject({ path: 'body.events[0] key' });
    expect(jsonProblem({ events: [{ a: 'b', n: 1, t: true, z: null }] })).toBeNull();
  });

  it('gives the same answer from a parsed body, whether its text escapes characters or not', () => {
    const check = (text: string) => parsedJsonProblem(text, JSON.parse(text));
    expect(check('{"events":[{"ok":"x"},{"context":{"nom":"a\\u0000"}}]}')).toEqual({ path: 'body.events[1].context.nom', problem: 'contains a control character (U+0000)' });
    expect(check('{"events":[{"k\\ud800":1}]}')).toMatchObject({ path: 'body.events[0] key' });
    expect(check('{"e":"tab\\tok \\b"}')).toMatchObject({ path: 'body.e', problem: 'contains a control character (U+0008)' });
    expect(check('{"e":"del \u007f"}')).toMatchObject({ path: 'body.e', problem: 'contains a control character (U+007F)' });
    // Clean text: only lengths and depth are left to check.
    expect(check(`{"events":[{"${'k'.repeat(201)}":1}]}`)).toEqual({ path: 'body.events[0] key', problem: 'is too long (201 characters, at most 200)' });
    expect(check(`${'['.repeat(70)}1${']'.repeat(70)}`)).toMatchObject({ problem: 'is nested too deeply' });
    expect(check('{"events":[{"a":"b\\n","n":1,"t":true,"z":null,"s":"café 🙂"}]}')).toBeNull();
  });
});
