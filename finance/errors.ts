// The one error the finance operations throw for a request they refuse: its message is meant
// for the operator, its status for the HTTP answer (the console turns it into ActionRefused, in
// the operator's language, from its code and values: finance/operator-words.ts).
import { englishWords, type FinanceWordCode, type FinanceWordValues, type OperatorWords } from './operator-words';

export class FinanceRefusal extends Error {
  override name = 'FinanceRefusal';
  readonly words: OperatorWords;
  constructor(code: FinanceWordCode, values: FinanceWordValues = {}, readonly status = 409) {
    super(englishWords({ code, values }));
    this.words = { code, values };
  }
}
