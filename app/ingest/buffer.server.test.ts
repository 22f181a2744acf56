import { describe, expect, it } from 'vitest';
import { BufferFullError, WriteBuffer } from './buffer.server';

function buffer(opts: Partial<ConstructorParameters<typeof WriteBuffer<string>>[0]> = {}) {
  const flushed: string[][] = [];
  const stored = new Set<string>();
  const b = new WriteBuffer<string>({
    key: (s) => s,
    intervalMs: 20,
    maxRows: 100,
    maxConcurrent: 1,
    maxPendingRows: 1000,
    flush: async (rows) => {
      flushed.push(rows);
      const inserted = new Set(rows.filter((r) => !stored.has(r)));
      for (const r of inserted) stored.add(r);
      return inserted;
    },
    ...opts,
  });
  return { b, flushed };
}

describe('WriteBuffer', () => {
  it('puts the rows of requests made within one interval in one flush and answers each request for its own rows', async () => {
    const { b, flushed } = buffer();
    const [a, c] = await Promise.all([b.write(['1', '2']), b.write(['2', '3'])]);
    expect(flushed).toEqual([['1', '2', '3']]);
    expect(a).toEqual([true, true]);
    expect(c).toEqual([false, true]);
    expect(await b.write(['1', '4'])).toEqual([false, true]);
  });

  it('flushes at once when maxRows are waiting, without waiting for the timer', async () => {
    const { b, flushed } = buffer({ intervalMs: 10_000, maxRows: 3 });
    const started = Date.now();
    await b.write(['a', 'b', 'c']);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(flushed).toEqual([['a', 'b', 'c']]);
  });

  it('fails every request of a failed flush and refuses rows beyond maxPendingRows', async () => {
    const failing = new WriteBuffer<string>({
      key: (s) => s, intervalMs: 5, maxRows: 10, maxConcurrent: 1, maxPendingRows: 3,
      flush: async () => { throw new Error('database down'); },
    });
    await expect(Promise.all([failing.write(['x']), failing.write(['y'])])).rejects.toThrow('database down');
    await expect(failing.write(['1', '2', '3', '4'])).rejects.toBeInstanceOf(BufferFullError);
  });
});

describe('WriteBuffer isolation', () => {
  it('splits a flush refused for its input until only the faulty request fails, and stores the others once', async () => {
    const statements: string[][] = [];
    const stored: string[] = [];
    const b = new WriteBuffer<string>({
      key: (s) => s, intervalMs: 20, maxRows: 100, maxConcurrent: 1, maxPendingRows: 1000,
      flush: async (rows) => {
        statements.push(rows);
        if (rows.includes('bad')) throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
        stored.push(...rows);
        return new Set(rows);
      },
    });
    const results = await Promise.allSettled([b.write(['a1', 'a2']), b.write(['bad', 'b2']), b.write(['c1']), b.write(['d1'])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.code).toBe('22021');
    expect(stored.sort()).toEqual(['a1', 'a2', 'c1', 'd1']);
    expect(b.stats.inserted).toBe(4);
  });

  it('does not split a flush that failed because the database did (every request fails at once)', async () => {
    let calls = 0;
    const b = new WriteBuffer<string>({
      key: (s) => s, intervalMs: 20, maxRows: 100, maxConcurrent: 1, maxPendingRows: 1000,
      flush: async () => { calls += 1; throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }); },
    });
    const results = await Promise.allSettled([b.write(['a']), b.write(['b']), b.write(['c'])]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
  });
});
