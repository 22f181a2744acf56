import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DATE_MAX, DATE_MIN, day, inDateRange } from './fields';

describe('dates in forms and filters', () => {
  const days = z.object({ from: day });
  const message = (v: string) => days.safeParse({ from: v }).error?.issues[0]?.message;

  it('takes a calendar day from 1970-01-01 to 9999-12-31, and nothing outside', () => {
    expect(days.parse({ from: DATE_MIN })).toEqual({ from: DATE_MIN });
    expect(days.parse({ from: DATE_MAX })).toEqual({ from: DATE_MAX });
    expect(message('1969-12-31')).toBe('expected a date between 1970-01-01 and 9999-12-31');
    expect(message('10000-01-01')).toBe('expected a date as YYYY-MM-DD');
    expect(message('+275760-09-13')).toBe('expected a date as YYYY-MM-DD');
  });

  it('keeps a margin for a time still to be read in a zone', () => {
    const lastMs = Date.parse('9999-12-31T23:59:59.999Z');
    expect(inDateRange(lastMs)).toBe(true);
    expect(inDateRange(lastMs + 1)).toBe(false);
    expect(inDateRange(lastMs, 86_400_000)).toBe(false);
    expect(inDateRange(Number.NaN)).toBe(false);
    expect(inDateRange(8.64e15)).toBe(false);
  });
});
