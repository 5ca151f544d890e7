import { describe, expect, it } from 'vitest';
import { computeInvoice, debitDate, formatEuro, plusDays, previousMonth } from './invoice';

const at = (iso: string) => new Date(iso);

describe('plus days (Berlin days with plan plus at some moment)', () => {
  it('a whole month on plus', () => {
    expect(plusDays([{ plan: 'plus', fromAt: at('2026-01-01T00:00:00Z'), toAt: null }], '2026-11')).toBe(30);
  });
  it('an upgrade on the 16th of November counts from that day', () => {
    const periods = [
      { plan: 'basis', fromAt: at('2026-01-01T00:00:00Z'), toAt: at('2026-11-16T09:30:00Z') },
      { plan: 'plus', fromAt: at('2026-11-16T09:30:00Z'), toAt: null },
    ];
    expect(plusDays(periods, '2026-11')).toBe(15);
    expect(plusDays(periods, '2026-10')).toBe(0);
  });
  it('an upgrade at 00:30 Berlin on 1 December is a December day, not November (UTC says 30 Nov)', () => {
    const periods = [{ plan: 'plus', fromAt: at('2026-11-30T23:30:00Z'), toAt: null }];
    expect(plusDays(periods, '2026-11')).toBe(0);
    expect(plusDays(periods, '2026-12')).toBe(31);
  });
  it('a downgrade at the end of the month leaves the month fully plus', () => {
    const periods = [
      { plan: 'plus', fromAt: at('2026-01-01T00:00:00Z'), toAt: at('2026-11-30T23:00:00Z') },
      { plan: 'basis', fromAt: at('2026-11-30T23:00:00Z'), toAt: null },
    ];
    expect(plusDays(periods, '2026-11')).toBe(30);
    expect(plusDays(periods, '2026-12')).toBe(0);
  });
  it('February in a leap year', () => {
    expect(plusDays([{ plan: 'plus', fromAt: at('2028-01-01T00:00:00Z'), toAt: null }], '2028-02')).toBe(29);
  });
});

describe('invoice totals', () => {
  it('three users, upgrade in the middle of the month, 42 SMS', () => {
    const inv = computeInvoice({ month: '2026-11', plusDays: 15, activeUsers: 3, smsCount: 42 });
    // 3 × 19,00 € × 15/30 = 28,50 €; 42 × 0,10 € = 4,20 €; net 32,70 €; VAT 6,21 €; gross 38,91 €
    expect(inv.lines).toEqual([
      { key: 'users', quantity: 3, unitCents: 1900, days: 15, daysInMonth: 30, amountCents: 2850 },
      { key: 'sms', quantity: 42, unitCents: 10, amountCents: 420 },
    ]);
    expect([inv.netCents, inv.vatCents, inv.grossCents]).toEqual([3270, 621, 3891]);
  });
  it('rounds half up per line', () => {
    // 1 × 1900 × 1/31 = 61.29… → 61
    expect(computeInvoice({ month: '2026-12', plusDays: 1, activeUsers: 1, smsCount: 0 }).netCents).toBe(61);
  });
  it('no plus day and no SMS: nothing to invoice', () => {
    expect(computeInvoice({ month: '2026-12', plusDays: 0, activeUsers: 4, smsCount: 0 }).grossCents).toBe(0);
  });
});

describe('formats and dates', () => {
  it.each([
    [3891, '38,91 €'],
    [123456789, '1.234.567,89 €'],
    [5, '0,05 €'],
  ])('%i cents → %s', (c, s) => expect(formatEuro(c)).toBe(s));
  it('debit date 14 days later, never on a weekend', () => {
    expect(debitDate('2026-12-01')).toBe('2026-12-15'); // Tuesday
    expect(debitDate('2026-12-05')).toBe('2026-12-21'); // 19th is a Saturday → Monday
  });
  it('previous month', () => {
    expect(previousMonth('2027-01-01')).toBe('2026-12');
    expect(previousMonth('2026-11-27')).toBe('2026-10');
  });
});
