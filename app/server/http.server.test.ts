import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { day, dayRange } from './fields';
import { parseSearch, readForm, readSearch } from './http.server';

const schema = z
  .object({
    status: z.enum(['open', 'closed']).optional(),
    size: z.coerce.number().int().refine((n) => [25, 50].includes(n), 'size must be 25 or 50').default(25),
    from: day,
    to: day,
  })
  .refine(...dayRange);

const request = (query: string) => new Request(`http://console.test/t/acme/list?${query}`);

async function refusal(query: string) {
  try {
    parseSearch(request(query), schema);
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    return { status: response.status, body: (await response.json()) as { error: string } };
  }
  throw new Error(`parseSearch accepted ${query}`);
}

describe('parseSearch', () => {
  it('returns the parsed query: empty values are absent, the first repeated one wins, unknown ones are ignored', () => {
    expect(parseSearch(request(''), schema)).toEqual({ size: 25 });
    expect(parseSearch(request('status=&from=&size=50&status=open&status=closed&utm=x'), schema)).toEqual({ status: 'open', size: 50 });
  });

  it('throws a 400 whose message names each bad parameter and what was typed', async () => {
    const { status, body } = await refusal('status=lost&size=7&from=2026-13-01');
    expect(status).toBe(400);
    expect(body.error).toBe(
      'Filter “status”: Invalid enum value. Expected \'open\' | \'closed\', received \'lost\' (got “lost”). ' +
        'Filter “size”: size must be 25 or 50 (got “7”). ' +
        'Filter “from”: expected a date as YYYY-MM-DD (got “2026-13-01”).',
    );
  });

  it('reports a rule across parameters once, on the parameter it names', async () => {
    expect((await refusal('from=2026-03-10&to=2026-03-01')).body.error).toBe('Filter “from”: “from” is after “to” (got “2026-03-10”).');
  });

  it('cuts a long typed value in the message', () => {
    const read = readSearch(new URLSearchParams({ status: 'x'.repeat(500) }), schema);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toContain(`(got “${'x'.repeat(60)}…”)`);
  });
});

describe('readForm', () => {
  const post = (body?: BodyInit, contentType?: string) =>
    new Request('http://console.test/login', { method: 'POST', body, headers: contentType ? { 'Content-Type': contentType } : {} });
  const status = (promise: Promise<unknown>) => promise.then(() => 200, (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500));

  it('reads a form and refuses a body that is no form (none, JSON) with a 400, not a 500', async () => {
    expect((await readForm(post('a=1', 'application/x-www-form-urlencoded'))).get('a')).toBe('1');
    expect(await status(readForm(post()))).toBe(400);
    expect(await status(readForm(post('{"op":', 'application/json')))).toBe(400);
    expect(await status(readForm(post('--x\r\nbroken', 'multipart/form-data; boundary=x')))).toBe(400);
  });

  it('refuses a field longer than the limit, naming it', async () => {
    const thrown = await readForm(post(`email=${'a'.repeat(30)}`, 'application/x-www-form-urlencoded'), 20).catch((r: Response) => r);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(400);
    expect(((await (thrown as Response).json()) as { error: string }).error).toMatch(/^email: is too long/);
  });
});
