import { describe, expect, it } from 'vitest';
import { berlinMonth, retentionCutoff, utcWindowForMonths } from './months';

describe('berlinMonth', () => {
  it.each([
    // [instant (UTC), month in Europe/Berlin]
    ['2026-01-31T23:30:00Z', '2026-02'], // 00:30 on 1 February in Berlin (CET, UTC+1)
    ['2026-01-31T22:59:59.999Z', '2026-01'], // 23:59:59.999 on 31 January
    ['2026-01-31T23:00:00Z', '2026-02'], // exactly midnight in Berlin
    ['2026-06-30T21:59:59Z', '2026-06'], // CEST, UTC+2
    ['2026-06-30T22:00:00Z', '2026-07'],
    ['2025-12-31T23:00:00Z', '2026-01'], // year boundary
    ['2025-12-31T22:59:00Z', '2025-12'],
    ['2026-03-29T01:30:00Z', '2026-03'], // day of the spring change
    ['2026-10-31T22:59:59Z', '2026-10'], // last day of October is after the autumn change: CET again
    ['2026-10-31T23:00:00Z', '2026-11'],
    ['2026-02-15T12:00:00Z', '2026-02'],
  ])('%s → %s', (iso, month) => {
    expect(berlinMonth(new Date(iso))).toBe(month);
  });

  it('refuses an invalid date', () => {
    expect(() => berlinMonth(new Date('nope'))).toThrow(RangeError);
  });
});

describe('retentionCutoff (now minus three calendar months, UTC, month-end clamped)', () => {
  it.each([
    ['2026-05-15T10:20:30.400Z', '2026-02-15T10:20:30.400Z'],
    ['2026-05-31T12:00:00Z', '2026-02-28T12:00:00Z'], // clamped to the end of February
    ['2024-05-31T12:00:00Z', '2024-02-29T12:00:00Z'], // leap year
    ['2026-07-31T23:59:59.999Z', '2026-04-30T23:59:59.999Z'],
    ['2026-03-15T00:00:00Z', '2025-12-15T00:00:00Z'], // across the year
    ['2026-01-31T08:00:00Z', '2025-10-31T08:00:00Z'],
    ['2026-06-30T05:00:00Z', '2026-03-30T05:00:00Z'], // not clamped: March has a 30th
  ])('%s → %s', (now, cutoff) => {
    expect(retentionCutoff(new Date(now)).getTime()).toBe(Date.parse(cutoff));
  });

  it('takes another number of months', () => {
    expect(retentionCutoff(new Date('2026-03-31T00:00:00Z'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(retentionCutoff(new Date('2026-03-31T00:00:00Z'), 0).toISOString()).toBe('2026-03-31T00:00:00.000Z');
  });

  it('is never later than now and at most three months earlier', () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000 * 3 + 3_600_000 * 7) {
      const n = new Date(t);
      const c = retentionCutoff(n);
      expect(c.getTime()).toBeLessThan(n.getTime());
      const days = (n.getTime() - c.getTime()) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(89); // Feb + Mar + Apr minus clamping
      expect(days).toBeLessThanOrEqual(92);
    }
  });
});

describe('UTC window for Berlin months', () => {
  it('utcWindowForMonths covers every Berlin instant of the months', () => {
    const w = utcWindowForMonths('2026-02', '2026-03');
    // Berlin February starts 2026-01-31T23:00Z; Berlin March ends 2026-03-31T22:00Z.
    expect(w.start.getTime()).toBeLessThanOrEqual(Date.parse('2026-01-31T23:00:00Z'));
    expect(w.end.getTime()).toBeGreaterThan(Date.parse('2026-03-31T21:59:59Z'));
    expect(berlinMonth(w.start) < '2026-02').toBe(true);
    expect(berlinMonth(w.end) > '2026-03').toBe(true);
  });
});
