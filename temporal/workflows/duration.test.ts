import { describe, expect, it } from 'vitest';
import { msToNumber } from './duration';

describe('msToNumber', () => {
  it('reads every unit of the Duration grammar', () => {
    expect(msToNumber(500)).toBe(500);
    expect(msToNumber('500')).toBe(500);
    expect(msToNumber('250ms')).toBe(250);
    expect(msToNumber('2 msecs')).toBe(2);
    expect(msToNumber('30s')).toBe(30_000);
    expect(msToNumber('5 minutes')).toBe(300_000);
    expect(msToNumber('1.5h')).toBe(5_400_000);
    expect(msToNumber('36 Hours')).toBe(129_600_000);
    expect(msToNumber('1d')).toBe(86_400_000);
    expect(msToNumber('14d')).toBe(14 * 86_400_000);
    expect(msToNumber('2 weeks')).toBe(14 * 86_400_000);
    expect(msToNumber('1y')).toBe(365.25 * 86_400_000);
  });

  it('refuses what is not a duration', () => {
    expect(() => msToNumber('soon' as never)).toThrow(TypeError);
    expect(() => msToNumber('' as never)).toThrow(TypeError);
  });
});
