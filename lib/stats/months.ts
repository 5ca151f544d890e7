// Pure date helpers for call statistics (no server imports; tests beside this file).
import { daysInMonth } from '@/lib/time/calendar';

/** Raw call events are kept at most this many calendar months (KBV Anlage 31b). */
export const RETENTION_MONTHS = 3;

export { berlinMonth } from '@/lib/time/berlin';

/**
 * `now` minus `months` calendar months, computed in UTC: the same time of day,
 * the same day of the month, clamped to the last day of the target month
 * (2026-05-31T12:00Z → 2026-02-28T12:00Z; 2024-05-31 → 2024-02-29).
 *
 * The retention rule: a raw call event is purged when `occurred_at < retentionCutoff(now)`,
 * i.e. once it is older than now minus three months; an event exactly at the cutoff stays.
 */
export function retentionCutoff(now: Date, months: number = RETENTION_MONTHS): Date {
  if (Number.isNaN(now.getTime())) throw new RangeError('retentionCutoff: invalid date');
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  const year = first.getUTCFullYear();
  const month = first.getUTCMonth();
  const lastDay = daysInMonth(year, month + 1);
  const cutoff = new Date(0);
  cutoff.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
  cutoff.setUTCHours(now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds());
  return cutoff;
}

/**
 * A UTC window that surely contains every instant of the Berlin months `from`..`to`
 * (Berlin is UTC+1 or UTC+2, so one day of margin on each side is plenty). Filter the
 * rows found in it with `berlinMonth` for the exact months.
 */
export function utcWindowForMonths(from: string, to: string): { start: Date; end: Date } {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  const day = 86_400_000;
  return {
    start: new Date(Date.UTC(fy!, fm! - 1, 1) - day),
    end: new Date(Date.UTC(ty!, tm!, 1) + day),
  };
}
