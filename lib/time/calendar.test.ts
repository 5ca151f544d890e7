import { describe, expect, it } from 'vitest';
import { addDays, addMonths, isMonth, monthsBetween, quarterEnd, shiftMonth, startOfWeek } from './calendar';

describe('calendar dates', () => {
  it.each([
    ['2026-11-30', 3, '2027-02-28'], // month-end clamping
    ['2027-11-30', 3, '2028-02-29'], // … into a leap February
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
  ])('%s + %i months = %s', (d, n, out) => expect(addMonths(d, n)).toBe(out));
  it.each([
    ['2026-01-01', '2026-03-31'],
    ['2026-03-31', '2026-03-31'],
    ['2026-04-01', '2026-06-30'],
    ['2026-09-30', '2026-09-30'],
    ['2026-12-31', '2026-12-31'],
  ])('quarter end of %s is %s', (d, out) => expect(quarterEnd(d)).toBe(out));
  it('date arithmetic crosses months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(startOfWeek('2026-11-27')).toBe('2026-11-23');
    expect(startOfWeek('2026-11-23')).toBe('2026-11-23');
    expect(startOfWeek('2026-11-29')).toBe('2026-11-23');
  });
});

describe('calendar months', () => {
  it('isMonth accepts YYYY-MM with month 01–12 only', () => {
    expect(isMonth('2026-01')).toBe(true);
    expect(isMonth('2026-12')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01', '', '2026/01']) expect(isMonth(bad)).toBe(false);
  });

  it.each([
    ['2026-01', -1, '2025-12'],
    ['2026-01', 0, '2026-01'],
    ['2025-11', 3, '2026-02'],
    ['2026-03', -15, '2024-12'],
  ])('shiftMonth(%s, %i) → %s', (m, d, out) => {
    expect(shiftMonth(m, d)).toBe(out);
  });

  it('monthsBetween is inclusive and empty for a reversed range', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02', '2026-02')).toEqual(['2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });
});
