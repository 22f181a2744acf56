// The one error the finance operations throw for a request they refuse: its message is meant
// for the operator, its status for the HTTP answer (the console turns it into ActionRefused).
export class FinanceRefusal extends Error {
  override name = 'FinanceRefusal';
  constructor(
    message: string,
    readonly status = 409,
  ) {
    super(message);
  }
}

/** Integer cents as French-formatted euros for messages ("1 234,50 €"); never used for arithmetic. */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')} €`;
}
