// safeRedirect (http.server.ts): every way a browser would leave the console is refused.
import { describe, expect, it } from 'vitest';
import { safeRedirect } from './http.server';

describe('safeRedirect', () => {
  it('keeps a path of the console, with its query and hash', () => {
    expect(safeRedirect('/t/datasync/trials?q=a#top')).toBe('/t/datasync/trials?q=a#top');
    expect(safeRedirect('/')).toBe('/');
  });

  it.each([
    ['/\\evil.example'],
    ['/\\t/evil.example'],
    ['\\\\evil.example'],
    ['//evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['evil.example'],
    ['/%00'.replace('%00', '\u0000')],
    [''],
    [null],
  ])('refuses %j and answers the fallback', (to) => {
    expect(safeRedirect(to, '/t/home')).toBe('/t/home');
  });
});
