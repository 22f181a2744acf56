import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { day, dayRange } from './fields';
import { parseSearch, readSearch } from './http.server';

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
