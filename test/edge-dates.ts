// The calendar's edges, as one table that the integration and end-to-end
// suites both run through, so a fault that shows only on such a day shows up
// on every day. Times are Berlin wall-clock; the expectations are written out
// by hand (not computed by the code under test).
export type EdgeDate = {
  name: string;
  /** "Today" in Berlin. */
  date: string;
  /** The time the clocks are set to, and a consultation half an hour later (Berlin). */
  time: string;
  appointmentTime: string;
  /** The days of its Berlin month with plan plus when upgrading at that moment, and the month's length. */
  plusDays: number;
  monthDays: number;
  /** Konsil's notice rule (three months to a quarter's end), notice given that day. */
  contractEnds: string;
};

export const EDGE_DATES: EdgeDate[] = [
  { name: 'the last day of a quarter', date: '2026-09-30', time: '10:00', appointmentTime: '10:30', plusDays: 1, monthDays: 30, contractEnds: '2026-12-31' },
  // 03:00 CEST becomes 02:00 CET; the consultation runs through the repeated hour.
  { name: 'the night the clocks go back (a Sunday)', date: '2026-10-25', time: '01:15', appointmentTime: '01:45', plusDays: 7, monthDays: 31, contractEnds: '2027-03-31' },
  { name: 'the last day of a month (a Monday)', date: '2026-11-30', time: '10:00', appointmentTime: '10:30', plusDays: 1, monthDays: 30, contractEnds: '2027-03-31' },
  { name: 'a Sunday', date: '2026-12-06', time: '18:00', appointmentTime: '18:30', plusDays: 26, monthDays: 31, contractEnds: '2027-03-31' },
  { name: 'a Monday', date: '2026-12-07', time: '08:00', appointmentTime: '08:30', plusDays: 25, monthDays: 31, contractEnds: '2027-03-31' },
  { name: '31 December', date: '2026-12-31', time: '23:00', appointmentTime: '23:30', plusDays: 1, monthDays: 31, contractEnds: '2027-03-31' },
  // 02:00 CET becomes 03:00 CEST; the consultation runs through the missing hour.
  { name: 'the night the clocks go forward (a Sunday)', date: '2027-03-28', time: '01:15', appointmentTime: '01:45', plusDays: 4, monthDays: 31, contractEnds: '2027-06-30' },
  { name: '29 February', date: '2028-02-29', time: '10:00', appointmentTime: '10:30', plusDays: 1, monthDays: 29, contractEnds: '2028-06-30' },
];

/** Berlin wall-clock → instant, written independently of lib/time (UTC offset from the table of DST changes). */
export function berlinInstant(date: string, time: string): Date {
  // Europe/Berlin: CEST (+02:00) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
  const [y] = date.split('-').map(Number) as [number];
  const lastSunday = (month: number) => {
    const d = new Date(Date.UTC(y, month, 0));
    return d.getUTCDate() - d.getUTCDay();
  };
  const wall = Date.parse(`${date}T${time}:00Z`);
  const summerStart = Date.UTC(y, 2, lastSunday(3), 1);
  const summerEnd = Date.UTC(y, 9, lastSunday(10), 1);
  // Try CEST first; a wall time in the repeated hour is read as its first (CEST) occurrence.
  const asSummer = wall - 2 * 3600_000;
  if (asSummer >= summerStart && asSummer < summerEnd) return new Date(asSummer);
  return new Date(wall - 3600_000);
}

export function germanDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}
