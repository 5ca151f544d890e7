// The month range of the statistics page: defaults and limits (pure, shared with the browser).
import { isMonth, shiftMonth } from '@/lib/time/calendar';

/** The page shows this many months up to the current one unless asked otherwise. */
export const DEFAULT_RANGE_MONTHS = 6;
/** At most this many months in one report (two years). */
export const MAX_RANGE_MONTHS = 24;

/** Keys under stats.validation (both languages), put on the field they concern. */
export type RangeProblem = { field: 'from' | 'to'; key: 'monthInvalid' | 'monthRangeReversed' | 'monthRangeTooLong' };

/**
 * The months asked for, with the defaults filled in: `to` is the current month,
 * `from` the sixth month before `to` inclusive. A range given half takes its
 * other end from the default.
 */
export function resolveRange(q: { from?: string; to?: string }, currentMonth: string): { from: string; to: string } {
  const to = q.to || (q.from && isMonth(q.from) && q.from > currentMonth ? q.from : currentMonth);
  const from = q.from || (isMonth(to) ? shiftMonth(to, -(DEFAULT_RANGE_MONTHS - 1)) : to);
  return { from, to };
}

/** What is wrong with a range, or [] when it is fine: malformed months, `from` after `to`, more than 24 months. */
export function rangeProblems(from: string, to: string): RangeProblem[] {
  const bad: RangeProblem[] = [];
  if (!isMonth(from)) bad.push({ field: 'from', key: 'monthInvalid' });
  if (!isMonth(to)) bad.push({ field: 'to', key: 'monthInvalid' });
  if (bad.length) return bad;
  if (from > to) return [{ field: 'to', key: 'monthRangeReversed' }];
  if (monthCount(from, to) > MAX_RANGE_MONTHS) return [{ field: 'from', key: 'monthRangeTooLong' }];
  return [];
}

/** How many months `from`..`to` holds, both inclusive (well-formed months, `from` ≤ `to`). */
export function monthCount(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return index(to) - index(from) + 1;
}
