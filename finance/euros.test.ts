import { describe, expect, it } from 'vitest';
import { decimalEuros, formatEuros, inputEuros, parseEurosToCents } from './euros';

describe('parseEurosToCents', () => {
  it('reads what people type as exact integer cents', () => {
    expect(parseEurosToCents('12')).toBe(1_200);
    expect(parseEurosToCents('12.5')).toBe(1_250);
    expect(parseEurosToCents('12,50')).toBe(1_250);
    expect(parseEurosToCents('0,01')).toBe(1);
    expect(parseEurosToCents(' 1 234,56 € ')).toBe(123_456);
    expect(parseEurosToCents('1\u202f234,56')).toBe(123_456);
    // Through floats, 0.29 * 100 is 28.999999999999996 and 1.005 rounds the wrong way.
    expect(parseEurosToCents('0.29')).toBe(29);
    expect(parseEurosToCents('4.35')).toBe(435);
    expect(parseEurosToCents('999999999,99')).toBe(99_999_999_999);
  });

  it('refuses three decimals, negatives and anything that is not an amount', () => {
    for (const bad of ['12,345', '1.005', '-12', '-0,50', '+3', '', '€', 'abc', '12,', ',50', '1e3', '0x10', '12.5.1', '1,234,56', 'NaN', 'Infinity', '1234567890']) {
      expect(parseEurosToCents(bad), bad).toBeNull();
    }
  });
});

describe('euros as text', () => {
  it('formats cents French style, without floating point', () => {
    expect(formatEuros(0)).toBe('0,00 €');
    expect(formatEuros(1_250)).toBe('12,50 €');
    expect(formatEuros(123_456_789)).toBe('1\u202f234\u202f567,89 €');
    expect(formatEuros(-5)).toBe('-0,05 €');
    expect(formatEuros(null)).toBe('—');
    expect(formatEuros(undefined)).toBe('—');
  });

  it('writes an input value and a CSV number that read back to the same cents', () => {
    for (const cents of [0, 1, 99, 100, 1_250, 123_456]) {
      expect(parseEurosToCents(inputEuros(cents))).toBe(cents);
      expect(parseEurosToCents(decimalEuros(cents))).toBe(cents);
    }
    expect(inputEuros(123_456)).toBe('1234,56');
    expect(decimalEuros(-1_050)).toBe('-10.50');
    expect(decimalEuros(null)).toBe('');
  });
});
