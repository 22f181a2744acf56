// A run's status (the SDK's names: RUNNING, TERMINATED…) in a sentence of the trial pages, in the
// operator's language (trials runStatus); a status the console does not know is shown as Temporal names it.
import type { TFunction } from 'i18next';
import { trials } from '~/i18n/locales/en/trials';

type RunStatus = keyof typeof trials.runStatus;
const isRunStatus = (status: string): status is RunStatus => Object.hasOwn(trials.runStatus, status);

export const runStatusWords = (t: TFunction<'trials'>, status: string) => (isRunStatus(status) ? t(`runStatus.${status}`) : status.toLowerCase());
