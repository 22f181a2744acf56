// Duration ('1d', '36 hours', 500) to milliseconds, for workflow code. The SDK's own converter
// lives in a private path (@temporalio/common/lib/time); this is its rule, on the `ms` grammar
// that the Duration type spells out.
import type { Duration } from '@temporalio/common';

const DURATION = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_557_600_000 };

export function msToNumber(duration: Duration): number {
  if (typeof duration === 'number') return duration;
  const match = DURATION.exec(duration);
  if (!match) throw new TypeError(`Invalid duration string: '${duration}'`);
  const unit = (match[2] ?? 'ms').toLowerCase();
  return parseFloat(match[1]) * (unit.startsWith('ms') || unit.startsWith('milli') ? 1 : UNIT_MS[unit[0]]);
}
