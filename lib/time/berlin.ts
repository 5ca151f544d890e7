// Wall-clock time in the practice's zone (Europe/Berlin) ⇄ instants. The
// browser's own zone may differ (a laptop set to UTC), so inputs are read as
// Berlin time explicitly. Pure; uses only Intl.

export const PRACTICE_TZ = 'Europe/Berlin';

function partsOf(ts: number, tz: string) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(new Date(ts))) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return p as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

function offsetAt(ts: number, tz: string): number {
  const p = partsOf(ts, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ts / 1000) * 1000;
}

/** "2026-03-29", "02:30" in Berlin → the instant. Times skipped by DST move forward by the gap. */
export function zonedToUtc(date: string, time: string, tz = PRACTICE_TZ): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let utc = wall - offsetAt(wall, tz);
  const second = offsetAt(utc, tz);
  if (wall - second !== utc) utc = wall - second;
  return new Date(utc);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The instant as Berlin date and time strings, for form inputs. */
export function utcToZoned(at: Date, tz = PRACTICE_TZ): { date: string; time: string } {
  const p = partsOf(at.getTime(), tz);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** The Berlin month of an instant as "YYYY-MM" (statistics, SMS counts, invoices). */
export function berlinMonth(at: Date): string {
  return utcToZoned(at).date.slice(0, 7);
}
