// What the money rules tell the operator, in English, by code: refusals (FinanceRefusal) and the
// outcomes of a refund or a compensation retry. The English is written once, here: the worker and
// scripts read the message, the console's `finance` namespace reuses these templates as its English
// (app/i18n/locales/en/finance.ts) and translates the code with its values for other languages.
export const FINANCE_WORDS = {
  amountNotPositive: 'The amount must be a positive number of cents, got {{amount}}.',
  reasonTooShort: 'A reason of at least 3 characters is required.',
  noPayment: 'No payment of order {{orderId}} in this tenant.',
  sagaRunningRefund: 'The payment saga of order {{orderId}} is still running: its own compensation may refund the buyer. Wait until it ends.',
  refundTooLarge: 'Refund of {{amount}} refused: only {{remaining}} remain refundable on charge {{chargeId}} (captured {{captured}}, refunded {{refunded}}, pending {{pending}}).',
  alreadyRefused: 'This refund request was already refused by the provider: {{error}}.',
  noSuchRefund: 'No such refund in this tenant.',
  providerRefusedThis: 'The provider refused this refund: {{error}}. Ask a new refund if it is still owed.',
  providerRefused: 'The provider refused the refund: {{error}}',
  refundNoAnswer: 'No definite answer from the provider ({{error}}). The refund of {{amount}} stays pending and reserved; retry it from the order’s page — the same key is sent, so it is made at most once.',
  refundReplayed: 'This refund was already made: {{amount}} ({{id}}). Nothing new was sent.',
  refunded: 'Refunded {{amount}} ({{id}}).',
  sagaRunningRetry: 'The saga of order {{orderId}} is still running: its own compensations may be in flight. Retry once it has ended.',
  nothingToUndo: 'The saga of order {{orderId}} has nothing for a {{what}} to undo.',
  retryTooLarge: 'Retrying would refund {{amount}} but only {{remaining}} remain on charge {{chargeId}} (captured {{captured}}, refunded {{refunded}}, pending {{pending}}). Refund the remainder from the order’s page instead.',
  neverAttempted: 'The saga never attempted the {{what}} of order {{orderId}}: there is nothing to retry.',
  alreadySucceeded: 'The {{what}} of order {{orderId}} already succeeded ({{id}}).',
  retried: 'The {{what}} succeeded ({{id}}).',
  retryRefused: 'The provider refused the {{what}} again: {{error}}',
  retryNoAnswer: 'No definite answer from the provider for the {{what}} ({{error}}); it stays pending. Retrying is safe: the same key is sent.',
  chargeInDoubt: 'The charge of order {{orderId}} is still in doubt (pending in the ledger): reconcile it before refunding.',
  noCapturedCharge: 'Order {{orderId}} has no captured charge in the ledger: there is nothing to refund.',
  /** {{what}} of a compensation, by its wire name. */
  what: {
    rembourserAcheteur: 'refund of the buyer',
    inverserTransfertVendeur: 'reversal of the seller transfer',
    annulerFactureAssurance: 'cancellation of the insurance fee',
  },
} as const;

export type FinanceWordCode = Exclude<keyof typeof FINANCE_WORDS, 'what'>;
export type FinanceWordValues = Record<string, string | number>;

/** Words for the operator: a code of FINANCE_WORDS and its values (`action`, a compensation's wire name, stands for {{what}}). */
export interface OperatorWords {
  code: FinanceWordCode;
  values: FinanceWordValues;
}

/** The English message of a code with its values. */
export function englishWords({ code, values }: OperatorWords): string {
  const all: FinanceWordValues = { ...values, ...(typeof values.action === 'string' && values.action in FINANCE_WORDS.what ? { what: FINANCE_WORDS.what[values.action as keyof typeof FINANCE_WORDS.what] } : {}) };
  return FINANCE_WORDS[code].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(all[k] ?? ''));
}
