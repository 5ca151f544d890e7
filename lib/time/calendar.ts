// Calendar arithmetic on date strings, free of any time zone: calendar dates
// ("YYYY-MM-DD") and calendar months ("YYYY-MM"). Which date or month an
// instant falls in is the business of berlin.ts. Pure.

export type CalendarDate = string; // YYYY-MM-DD
export type CalendarMonth = string; // YYYY-MM

const pad = (n: number) => String(n).padStart(2, '0');

/** [year, month 1–12, day] of a "YYYY-MM-DD"; anything else is a RangeError. */
export function parseCalendarDate(d: CalendarDate): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) throw new RangeError(`not a calendar date: ${d}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Days in a month, month 1–12. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Adds days (negative allowed), across months and years. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Adds months; a day that does not exist in the target month becomes its last day (30 Nov + 3 → 28/29 Feb). */
export function addMonths(d: CalendarDate, months: number): CalendarDate {
  const [y, m, day] = parseCalendarDate(d);
  const idx = y * 12 + (m - 1) + months;
  const ty = Math.floor(idx / 12);
  const tm = (idx % 12) + 1;
  return `${ty}-${pad(tm)}-${pad(Math.min(day, daysInMonth(ty, tm)))}`;
}

/** Monday of the week that holds date (ISO weeks). */
export function startOfWeek(date: CalendarDate): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(date, -dow);
}

/** The last day of the month that holds d. */
export function monthEnd(d: CalendarDate): CalendarDate {
  const [y, m] = parseCalendarDate(d);
  return `${y}-${pad(m)}-${pad(daysInMonth(y, m))}`;
}

/** The last day of the quarter that holds d. */
export function quarterEnd(d: CalendarDate): CalendarDate {
  const [y, m] = parseCalendarDate(d);
  const qm = Math.ceil(m / 3) * 3;
  return `${y}-${pad(qm)}-${pad(daysInMonth(y, qm))}`;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for a well-formed 'YYYY-MM' with month 01–12. */
export function isMonth(value: string): boolean {
  return MONTH_RE.test(value);
}

/** 'YYYY-MM' plus `delta` months (negative allowed): shiftMonth('2026-01', -1) → '2025-12'. */
export function shiftMonth(month: CalendarMonth, delta: number): CalendarMonth {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`shiftMonth: not a month "${month}"`);
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + delta;
  const y = Math.floor(index / 12);
  const mo = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${pad(mo)}`;
}

/** Every month from `from` to `to`, both inclusive; empty when `from` is after `to`. */
export function monthsBetween(from: CalendarMonth, to: CalendarMonth): CalendarMonth[] {
  const out: CalendarMonth[] = [];
  for (let m = from; m <= to; m = shiftMonth(m, 1)) out.push(m);
  return out;
}
