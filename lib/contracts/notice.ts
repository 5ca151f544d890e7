// Notice rules for contracts, as data, and the pure functions that apply
// them. All dates are calendar dates in Europe/Berlin ("YYYY-MM-DD"): a
// cancellation sent at 00:30 on 1 January in Berlin is a January cancellation,
// although it is still 31 December in UTC.
import { utcToZoned, zonedToUtc } from '@/lib/time/berlin';
import { addDays, addMonths, type CalendarDate, monthEnd, parseCalendarDate, quarterEnd } from '@/lib/time/calendar';

export type NoticeRule = {
  id: string;
  /** Minimum term from the contract's start, in months (0 = none). */
  minTermMonths: number;
  /** Period of notice in months. */
  noticeMonths: number;
  /**
   * The contract ends at the end of a quarter: the first quarter end that
   * leaves the full period of notice, moved on by this many further quarters
   * ("to the end of the following quarter" = 1).
   */
  extraQuarters: number;
};

/** Konsil: three months' notice to the end of a quarter, no minimum term. */
export const KONSIL_RULE: NoticeRule = { id: 'konsil', minTermMonths: 0, noticeMonths: 3, extraQuarters: 0 };

/**
 * connectMT's participation terms: a minimum term of twelve months from the
 * start; after that, one month's notice to the end of the following quarter.
 */
export const CONNECTMT_RULE: NoticeRule = { id: 'connectmt', minTermMonths: 12, noticeMonths: 1, extraQuarters: 1 };

function nextQuarterEnd(end: CalendarDate): CalendarDate {
  return quarterEnd(addDays(end, 1));
}

/**
 * The last day of the contract when notice is given on noticeDate: the first
 * quarter end on or after noticeDate + the period of notice, plus the rule's
 * extra quarters, and not before the end of the minimum term (then the first
 * quarter end on or after it).
 */
export function contractEndDate(rule: NoticeRule, args: { start: CalendarDate; noticeDate: CalendarDate }): CalendarDate {
  let end = quarterEnd(addMonths(args.noticeDate, rule.noticeMonths));
  for (let i = 0; i < rule.extraQuarters; i++) end = nextQuarterEnd(end);
  if (rule.minTermMonths > 0) {
    // The minimum term runs until the day before the same date n months later.
    const minEnd = addDays(addMonths(args.start, rule.minTermMonths), -1);
    if (end < minEnd) end = quarterEnd(minEnd);
  }
  return end;
}

/** Berlin calendar date of an instant. */
export function berlinDate(at: Date): CalendarDate {
  return utcToZoned(at).date;
}

/** The instant a contract ending on `last` (inclusive) is over: midnight after it, Berlin time. */
export function endInstant(last: CalendarDate): Date {
  return zonedToUtc(addDays(last, 1), '00:00');
}

/** A downgrade takes effect at the end of the current month (Berlin): midnight after its last day. */
export function endOfMonthInstant(at: Date): Date {
  return endInstant(monthEnd(berlinDate(at)));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "TT.MM.JJJJ" as the contract page and mails show it. */
export function formatGermanDate(d: CalendarDate): string {
  const [y, m, day] = parseCalendarDate(d);
  return `${pad(day)}.${pad(m)}.${y}`;
}
