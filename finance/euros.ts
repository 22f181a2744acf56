// Euros as people read and type them, defined once for the console, the worker and the scripts.
// Amounts are integer cents everywhere; these functions only turn them into text and back, with
// integer arithmetic only. Pure and browser-safe: no Remix, no Node built-ins.

/** Whole euros and the two cent digits of |cents|, without floating point. */
function split(cents: number): { sign: string; whole: number; cents: string } {
  const abs = Math.abs(cents);
  return { sign: cents < 0 ? '-' : '', whole: Math.floor(abs / 100), cents: String(abs % 100).padStart(2, '0') };
}

/** Integer cents as euros, French style ("1 234,50 €", narrow no-break space between thousands); "—" when absent. */
export function formatEuros(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  const p = split(cents);
  return `${p.sign}${String(p.whole).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')},${p.cents} €`;
}

/** Integer cents as an input's value ("1234,50"), which parseEurosToCents reads back. */
export function inputEuros(cents: number): string {
  const p = split(cents);
  return `${p.sign}${p.whole},${p.cents}`;
}

/** Integer cents as a plain decimal number ("1234.50") for CSV files and spreadsheets; "" when absent. */
export function decimalEuros(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  const p = split(cents);
  return `${p.sign}${p.whole}.${p.cents}`;
}

/**
 * Euros typed by a person as integer cents: "12", "12.5", "12,50", "1 234,56", "12 €". Null for
 * anything else: a negative sign, more than two decimals, more than nine whole digits, or garbage.
 * The digits are read as text, so 0.29 € is 29 cents exactly (never 28.999…).
 */
export function parseEurosToCents(text: string): number | null {
  const s = text.replace(/[\s\u00a0\u202f€]/g, '');
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
