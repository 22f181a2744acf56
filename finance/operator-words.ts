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
  // Reconciliation mismatches (finance/reconcile.ts), one sentence each.
  chargedNoSaga: 'The buyer was charged {{amount}} for an order with no payment saga.',
  chargedNoOutcome: 'The buyer was charged {{amount}} and the saga has had no outcome since {{since}} UTC.',
  chargedAfterFailure: 'The saga failed before anything was charged as far as it knows, but the provider holds a charge of {{amount}}.',
  compensatedYet: 'The saga ended as compensated, yet: {{parts}}.',
  incompleteYet: 'The saga ended with its compensation incomplete, yet: {{parts}}.',
  buyerNotRefunded: 'buyer not refunded {{amount}}',
  sellerNotReversed: 'seller transfer not reversed {{amount}}',
  insuranceStillBilled: 'insurance fee still billed {{amount}}',
  refundsOnCharge: '{{count}} refunds on charge {{chargeId}}: {{parts}}.',
  refundItem: '{{amount}} ({{id}})',
  refundItemNotInLedger: '{{amount}} ({{id}}, not in the ledger)',
  transferNoCharge: 'Transfer {{id}} of {{amount}} to the seller draws on no charge.',
  transferUnknownCharge: 'Transfer {{id}} of {{amount}} draws on charge {{chargeId}}, which neither the ledger nor the provider knows.',
  transferFailedCharge: 'Transfer {{id}} of {{amount}} draws on charge {{chargeId}}, which did not succeed.',
  unknownToLedger: 'The provider reports a {{movement}} of {{amount}} ({{id}}) that the ledger does not know.',
  unknownToLedgerKey: 'The provider reports a {{movement}} of {{amount}} ({{id}}, key {{key}}) that the ledger does not know.',
  statusDiffers: 'The ledger has this {{movement}} {{status}}; the provider reports it {{providerStatus}} ({{id}}).',
  cancelledStillBilled: 'The ledger records the cancellation of insurance fee {{id}}; the provider still bills it.',
  amountDiffers: 'The ledger has {{ledgerAmount}} for this {{movement}}; the provider reports {{providerAmount}} ({{id}}).',
  providerMissing: 'The ledger has this {{movement}} succeeded ({{id}}); the provider reports no such object.',
  providerMissingNoId: 'The ledger has this {{movement}} succeeded (no provider id); the provider reports no such object.',
  inDoubtOne: 'The ledger has this {{movement}} in doubt (pending, {{count}} attempt); the provider has nothing for key {{key}}: it did not happen.',
  inDoubt: 'The ledger has this {{movement}} in doubt (pending, {{count}} attempts); the provider has nothing for key {{key}}: it did not happen.',
  // The words of coded values (CODED_VALUES): {{what}} a compensation's wire name, {{movement}} a
  // movement kind, {{status}} and {{providerStatus}} a ledger or provider status (others shown as they are).
  what: {
    rembourserAcheteur: 'refund of the buyer',
    inverserTransfertVendeur: 'reversal of the seller transfer',
    annulerFactureAssurance: 'cancellation of the insurance fee',
  },
  movement: {
    charge: 'charge',
    transfer: 'transfer',
    insurance: 'insurance',
    refund: 'refund',
    transfer_reversal: 'transfer reversal',
    insurance_cancel: 'insurance cancel',
  },
  status: { succeeded: 'succeeded', pending: 'pending', failed: 'failed', canceled: 'canceled' },
} as const;

/** Values that hold codes, and the map of their words. */
const CODED_VALUES = { what: 'what', movement: 'movement', status: 'status', providerStatus: 'status' } as const;
type CodedValue = (typeof CODED_VALUES)[keyof typeof CODED_VALUES];

export type FinanceWordCode = Exclude<keyof typeof FINANCE_WORDS, CodedValue>;
/** A message's values; a list (`parts`) is of messages, written one after the other with '; '. */
export type FinanceWordValues = { [name: string]: string | number | OperatorWords[] };

/** Words for the operator: a code of FINANCE_WORDS and its values. */
export interface OperatorWords {
  code: FinanceWordCode;
  values: FinanceWordValues;
}

/** The text of each value: a list's messages joined, a coded value's word through `word`. */
export function renderValues(values: FinanceWordValues, words: (w: OperatorWords) => string, word: (map: CodedValue, code: string) => string): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(values).map(([name, v]) => [
      name,
      Array.isArray(v) ? v.map(words).join('; ') : typeof v === 'string' && name in CODED_VALUES ? word(CODED_VALUES[name as keyof typeof CODED_VALUES], v) : v,
    ]),
  );
}

/** The English message of a code with its values. */
export function englishWords({ code, values }: OperatorWords): string {
  const all = renderValues(values, englishWords, (map, c) => (FINANCE_WORDS[map] as Record<string, string>)[c] ?? c);
  return FINANCE_WORDS[code].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(all[k] ?? ''));
}
