import { describe, expect, it } from 'vitest';
import { berlinDate, CONNECTMT_RULE, contractEndDate, endInstant, endOfMonthInstant, formatGermanDate, KONSIL_RULE } from './notice';

describe('Konsil: three months to the end of a quarter', () => {
  const start = '2025-01-15';
  it.each([
    ['2026-11-27', '2027-03-31'],
    ['2026-09-30', '2026-12-31'], // 30 Sep + 3 months = 30 Dec: still this quarter end
    ['2026-10-01', '2027-03-31'], // one day later: the next one
    ['2026-12-31', '2027-03-31'], // last day of a quarter: exactly three months
    ['2027-03-31', '2027-06-30'], // 31 Mar + 3 = 30 Jun (clamped), allowed
    ['2026-11-30', '2027-03-31'], // 30 Nov + 3 months = 28 Feb
    ['2027-11-30', '2028-03-31'], // leap year: 29 Feb 2028
    ['2028-02-29', '2028-06-30'],
    ['2026-01-01', '2026-06-30'],
  ])('notice on %s ends the contract on %s', (noticeDate, end) => {
    expect(contractEndDate(KONSIL_RULE, { start, noticeDate })).toBe(end);
  });
});

describe('connectMT: 12 months minimum, then one month to the end of the following quarter', () => {
  it.each([
    // within the minimum term: not before its end, then the quarter end after it
    ['2026-02-10', '2026-03-01', '2027-03-31'], // min term ends 2027-02-09 → quarter end 2027-03-31
    ['2026-01-01', '2026-06-15', '2026-12-31'], // min term ends 2026-12-31 exactly
    // after the minimum term
    ['2024-01-01', '2026-11-27', '2027-03-31'], // +1 month = 27 Dec → Q4 ends 31 Dec → following quarter: 31 Mar
    ['2024-01-01', '2026-12-01', '2027-06-30'], // +1 month = 1 Jan → Q1 ends 31 Mar → following quarter: 30 Jun
  ])('start %s, notice %s → %s', (start, noticeDate, end) => {
    expect(contractEndDate(CONNECTMT_RULE, { start, noticeDate })).toBe(end);
  });
  it('notice on the last day of a quarter', () => {
    // 30 Sep + 1 month = 30 Oct → Q4 ends 31 Dec → following quarter ends 31 Mar.
    expect(contractEndDate(CONNECTMT_RULE, { start: '2020-01-01', noticeDate: '2026-09-30' })).toBe('2027-03-31');
  });
});

describe('time zone: Berlin dates, not UTC midnight', () => {
  it('a notice at 00:30 Berlin on 1 October is an October notice (UTC still says 30 September)', () => {
    const at = new Date('2026-09-30T22:30:00Z');
    expect(berlinDate(at)).toBe('2026-10-01');
    expect(contractEndDate(KONSIL_RULE, { start: '2025-01-01', noticeDate: berlinDate(at) })).toBe('2027-03-31');
  });
  it('the contract is over at midnight Berlin after its last day', () => {
    expect(endInstant('2027-03-31').toISOString()).toBe('2027-03-31T22:00:00.000Z'); // CEST
    expect(endInstant('2026-12-31').toISOString()).toBe('2026-12-31T23:00:00.000Z'); // CET
  });
  it('a downgrade takes effect at the end of the Berlin month', () => {
    expect(endOfMonthInstant(new Date('2026-11-30T23:30:00Z')).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(endOfMonthInstant(new Date('2026-11-30T22:30:00Z')).toISOString()).toBe('2026-11-30T23:00:00.000Z');
  });
  it('formats TT.MM.JJJJ', () => expect(formatGermanDate('2027-03-31')).toBe('31.03.2027'));
});
