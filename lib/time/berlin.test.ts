import { describe, expect, it } from 'vitest';
import { utcToZoned, zonedToUtc } from './berlin';

describe('Berlin wall time', () => {
  it.each([
    ['2026-11-27', '10:30', '2026-11-27T09:30:00.000Z'], // CET
    ['2026-07-01', '10:30', '2026-07-01T08:30:00.000Z'], // CEST
    ['2026-03-29', '03:30', '2026-03-29T01:30:00.000Z'], // just after the spring gap
    ['2026-10-25', '01:30', '2026-10-24T23:30:00.000Z'],
    ['2026-12-31', '23:45', '2026-12-31T22:45:00.000Z'],
  ])('%s %s → %s', (d, t, iso) => {
    expect(zonedToUtc(d, t).toISOString()).toBe(iso);
    expect(utcToZoned(new Date(iso))).toEqual({ date: d, time: t });
  });
  it('a time inside the spring gap lands on a real instant', () => {
    const at = zonedToUtc('2026-03-29', '02:30');
    expect(['01:30', '03:30']).toContain(utcToZoned(at).time);
  });
});
