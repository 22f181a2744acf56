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
