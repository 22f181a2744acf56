// Codes and formats the finance pages share with the browser. A plain module on purpose: route
// components cannot import runtime values from *.server.ts files (the browser bundle drops them).
// The words for these codes live in one place, the `finance` namespace (app/i18n/locales/*/finance.ts):
// components translate codes with useFinanceT()'s `w(group, code)`.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { SAGA_STATUSES as STORED_SAGA_STATUSES } from '../../finance/saga-status';
import { finance as en } from '../i18n/locales/en/finance';
import { renderValues, type OperatorWords } from '../../finance/operator-words';
import { resources } from '../i18n/resources';
import { asLanguage } from '../preferences/languages';

/** The saga statuses Vigie stores (finance/saga-status.ts), in the order finance reads them. */
export const SAGA_STATUSES = STORED_SAGA_STATUSES;

/** Badge classes of app/styles.css, by saga status. */
export const STATUS_BADGE: Record<string, string> = {
  running: 'running',
  succeeded: 'completed',
  compensated: 'canceled',
  compensation_incomplete: 'failed',
  failed: 'failed',
};

/** Badge classes of a journal, ledger or refund entry, by status. */
export const ENTRY_BADGE: Record<string, string> = { succeeded: 'completed', failed: 'failed', running: 'running', pending: 'running' };

/** The mismatch kinds of finance/reconcile.ts, in the order the page lists them. */
export type MismatchKindName = keyof typeof en.mismatch;
export const MISMATCH_KIND_NAMES = Object.keys(en.mismatch) as MismatchKindName[];

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_BADGE: Record<string, string> = { open: 'failed', acknowledged: 'canceled', resolved: 'completed' };

/** The groups of codes the finance namespace has words for. */
export type FinanceWordGroup =
  | 'sagaStatus' | 'entryStatus' | 'incidentStatus' | 'severity' | 'mismatch' | 'compensation'
  | 'step' | 'movement' | 'refundOrigin' | 'incidentEvent' | 'mismatchState';

/** The word for a code in the given translation; an unknown code is shown as it is (a wire name stays a wire name). */
export function financeWord(t: TFunction<'finance'>, group: FinanceWordGroup, code: string | null | undefined): string {
  if (code == null) return '';
  return code in en[group] ? (t as unknown as (key: string) => string)(`${group}.${code}`) : code;
}

/** The English word for a code: for text written in English whatever the reader (the CSV export, the search's details). */
export function englishFinanceWord(group: FinanceWordGroup, code: string): string {
  return (en[group] as Record<string, string>)[code] ?? code;
}

/** A saga status in English (the console's search results). */
export const statusLabel = (status: string) => englishFinanceWord('sagaStatus', status);

/** What the money rules say (finance/operator-words.ts: a code and its values) in the given translation. */
export function rulesWords(t: TFunction<'finance'>, { code, values }: OperatorWords): string {
  const tr = t as unknown as (key: string, values?: object) => string;
  return tr(`rules.${code}`, renderValues(values, (w) => rulesWords(t, w), (map, c) => (c in en.rules[map] ? tr(`rules.${map}.${c}`) : c)));
}

/**
 * A page title's words in the page's language (the root loader's `language`): meta functions run
 * outside React, so they read the bundled translation directly. `matches` is meta's argument.
 */
export function financeTitle(matches: ReadonlyArray<{ id: string; data?: unknown }>, pick: (words: typeof en) => string): string {
  const language = (matches.find((m) => m.id === 'root')?.data as { language?: string } | undefined)?.language;
  return pick(resources[asLanguage(language)].finance as unknown as typeof en);
}

/** The finance namespace's t(), w(group, code) for the words of codes, and r(words) for what the money rules say. */
export function useFinanceT() {
  const { t } = useTranslation('finance');
  return {
    t,
    w: (group: FinanceWordGroup, code: string | null | undefined) => financeWord(t, group, code),
    r: (words: OperatorWords) => rulesWords(t, words),
  };
}

// Euros are formatted and parsed once, in finance/euros.ts (shared with the worker and scripts).
export { formatEuros, inputEuros } from '../../finance/euros';

/** One day of the payments charts: computed by sagas.server.ts, drawn by components/charts.tsx. */
export interface ChartDay {
  day: string;
  orders: number;
  volumeCents: number;
  succeededCents: number;
  running: number;
  succeeded: number;
  compensated: number;
  compensation_incomplete: number;
  failed: number;
}
