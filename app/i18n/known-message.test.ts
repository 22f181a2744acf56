// A refusal is written in the operator's language: the shared field checks' English messages are
// translated where they are shown, the frame around them too; an unknown sentence stays as it is.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { day, reasonRequired } from '../server/fields';
import { parseForm, parseSearch, readSearch } from '../server/http.server';
import { translateKnown } from './known-message';
import { rememberLanguage } from './request-language.server';
import { serverT } from './server-t.server';

const frenchRequest = (url: string, init?: RequestInit) => {
  const request = new Request(url, init);
  rememberLanguage(request, 'fr');
  return request;
};

async function errorOf(thrown: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof thrown === 'function' ? thrown() : thrown);
  } catch (response) {
    expect(response).toBeInstanceOf(Response);
    return ((await (response as Response).json()) as { error: string }).error;
  }
  throw new Error('accepted');
}

describe('translateKnown', () => {
  it('translates an English resource value, in any namespace, and leaves other sentences alone', () => {
    const fr = serverT('fr', 'common');
    expect(translateKnown(fr, 'a reason of at least 3 characters is required')).toBe('un motif d’au moins 3 caractères est obligatoire');
    expect(translateKnown(fr, 'Wrong email or password.')).toBe('E-mail ou mot de passe incorrect.');
    expect(translateKnown(fr, 'size must be 25 or 50')).toBe('size must be 25 or 50');
    expect(translateKnown(serverT('en', 'common'), 'a reason of at least 3 characters is required')).toBe('a reason of at least 3 characters is required');
  });
});

describe('refusals in the operator’s language', () => {
  it('parseForm: the field is named, the message is French', async () => {
    const body = new FormData();
    body.set('reason', 'x');
    const error = await errorOf(parseForm(frenchRequest('http://console.test/t/a/x', { method: 'POST', body }), z.object({ reason: reasonRequired })));
    expect(error).toBe('reason : un motif d’au moins 3 caractères est obligatoire');
  });

  it('parseSearch: each bad filter in French, with what was typed', async () => {
    const error = await errorOf(() => parseSearch(frenchRequest('http://console.test/t/a/list?from=2026-13-01'), z.object({ from: day })));
    expect(error).toBe('Filtre « from » : une date au format AAAA-MM-JJ était attendue (saisi : « 2026-13-01 »).');
    // Without a language (a request not yet signed in, a direct call), English as before.
    expect(readSearch(new URLSearchParams('from=2026-13-01'), z.object({ from: day }))).toEqual({ ok: false, error: 'Filter “from”: expected a date as YYYY-MM-DD (got “2026-13-01”).' });
  });
});
