// How an order's amount is split (seed case 4), in integer cents end to end. Pure and
// deterministic: the payment workflow imports it.
//
// Rounding rule: the commission (12 %) and the insurance fee (0.5 %) are each rounded to the
// nearest cent, halves up (Math.round on a non-negative amount). The seller gets the
// remainder, so seller + commission is always exactly the total. The insurance fee is
// billed separately to the insurer account and comes out of the platform's commission,
// never out of the seller's share.

/** 12 % in basis points. */
export const COMMISSION_BPS = 1200;
/** 0.5 % in basis points. */
export const INSURANCE_BPS = 50;
/** The largest order amount accepted: the ledger stores cents in a PostgreSQL INTEGER. */
export const MAX_ORDER_CENTS = 2_147_483_647;

export interface Répartition {
  montantTotal: number;
  commission: number;
  montantVendeur: number;
  montantAssurance: number;
}

export function assertCents(value: number, what = 'amount'): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer number of cents, got ${value}`);
}

/**
 * `cents × bps / 10 000`, rounded to the nearest cent with halves up. Exact: the quotient of
 * two exactly representable integers is correctly rounded, so a true .5 stays .5.
 */
export function shareOf(cents: number, bps: number): number {
  assertCents(cents);
  if (!Number.isSafeInteger(cents * bps)) throw new RangeError(`amount too large: ${cents}`);
  return Math.round((cents * bps) / 10_000);
}

export function répartirMontant(montantTotal: number): Répartition {
  assertCents(montantTotal, 'montantTotal');
  if (montantTotal === 0) throw new RangeError('montantTotal must be positive');
  if (montantTotal > MAX_ORDER_CENTS) throw new RangeError(`montantTotal above ${MAX_ORDER_CENTS} cents`);
  const commission = shareOf(montantTotal, COMMISSION_BPS);
  return {
    montantTotal,
    commission,
    montantVendeur: montantTotal - commission,
    montantAssurance: shareOf(montantTotal, INSURANCE_BPS),
  };
}
