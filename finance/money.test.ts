import { describe, expect, it } from 'vitest';
import { COMMISSION_BPS, INSURANCE_BPS, MAX_ORDER_CENTS, répartirMontant, shareOf } from './money';

// Reference in exact integer arithmetic: floor((2·a·bps + 10 000) / 20 000) is a·bps/10 000 rounded half up.
const reference = (a: number, bps: number) => Number((2n * BigInt(a) * BigInt(bps) + 10_000n) / 20_000n);

describe('répartirMontant', () => {
  it('splits the seed basket of 180 € into 12 % commission and 0.5 % insurance', () => {
    expect(répartirMontant(18_000)).toEqual({ montantTotal: 18_000, commission: 2_160, montantVendeur: 15_840, montantAssurance: 90 });
  });

  it('rounds halves up on the cent', () => {
    // 100 cents × 0.5 % = 0.5 cent → 1; 300 × 0.5 % = 1.5 → 2; 99 × 0.5 % = 0.495 → 0.
    expect(répartirMontant(100).montantAssurance).toBe(1);
    expect(répartirMontant(300).montantAssurance).toBe(2);
    expect(répartirMontant(99).montantAssurance).toBe(0);
    // 4 cents × 12 % = 0.48 → 0; 5 × 12 % = 0.6 → 1.
    expect(répartirMontant(4)).toMatchObject({ commission: 0, montantVendeur: 4 });
    expect(répartirMontant(5)).toMatchObject({ commission: 1, montantVendeur: 4 });
  });

  it('matches exact integer arithmetic and never loses a cent', () => {
    const amounts = [1, 2, 3, 7, 99, 100, 101, 199, 200, 201, 12_345, 99_999, 1_000_000, 123_456_789, MAX_ORDER_CENTS];
    for (let a = 1; a < 5_000; a += 7) amounts.push(a);
    for (const a of amounts) {
      const r = répartirMontant(a);
      expect(r.commission).toBe(reference(a, COMMISSION_BPS));
      expect(r.montantAssurance).toBe(reference(a, INSURANCE_BPS));
      expect(r.montantVendeur + r.commission).toBe(a);
      expect(Number.isInteger(r.montantVendeur)).toBe(true);
    }
  });

  it('refuses amounts that are not positive integer cents', () => {
    for (const bad of [0, -1, 12.5, Number.NaN, Infinity, MAX_ORDER_CENTS + 1]) {
      expect(() => répartirMontant(bad)).toThrow(RangeError);
    }
  });

  it('refuses a share computation that would lose float precision', () => {
    expect(() => shareOf(Number.MAX_SAFE_INTEGER, COMMISSION_BPS)).toThrow(RangeError);
  });
});
