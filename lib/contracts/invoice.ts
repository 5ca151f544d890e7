// Monthly invoice arithmetic for plan plus, pure. Rule (documented on the
// contract page and in docs/ARCHITECTURE.md): every user active in the month
// is charged EUR 19 net pro rata for the days of the month on which the
// organisation was on plan plus — a day counts if plus held at any moment of
// it (Europe/Berlin days); each SMS sent in the month costs EUR 0.10 net;
// VAT 19 % on the net total. Amounts are whole cents, each line rounded half up.
import { PLANS, VAT_RATE } from '@/lib/plans/plans';
import { zonedToUtc } from '@/lib/time/berlin';
import { addDays, daysInMonth } from '@/lib/time/calendar';

export type PlanPeriod = { plan: string; fromAt: Date; toAt: Date | null };

export type InvoiceLine = { key: 'users' | 'sms'; quantity: number; unitCents: number; days?: number; daysInMonth?: number; amountCents: number };

export function monthDays(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = daysInMonth(y, m);
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** Berlin days of the month on which the plan was plus at some moment. */
export function plusDays(periods: PlanPeriod[], month: string): number {
  let count = 0;
  for (const d of monthDays(month)) {
    const start = zonedToUtc(d, '00:00').getTime();
    const end = zonedToUtc(addDays(d, 1), '00:00').getTime();
    if (periods.some((p) => p.plan === 'plus' && p.fromAt.getTime() < end && (p.toAt === null || p.toAt.getTime() > start))) count++;
  }
  return count;
}

export function computeInvoice(args: { month: string; plusDays: number; activeUsers: number; smsCount: number }) {
  const [y, m] = args.month.split('-').map(Number) as [number, number];
  const dim = daysInMonth(y, m);
  const unit = PLANS.plus.monthlyPerUserCents;
  const lines: InvoiceLine[] = [];
  if (args.plusDays > 0 && args.activeUsers > 0) {
    lines.push({
      key: 'users',
      quantity: args.activeUsers,
      unitCents: unit,
      days: args.plusDays,
      daysInMonth: dim,
      amountCents: Math.round((args.activeUsers * unit * args.plusDays) / dim),
    });
  }
  if (args.smsCount > 0) lines.push({ key: 'sms', quantity: args.smsCount, unitCents: PLANS.plus.smsCents, amountCents: args.smsCount * PLANS.plus.smsCents });
  const netCents = lines.reduce((s, l) => s + l.amountCents, 0);
  const vatCents = Math.round(netCents * VAT_RATE);
  return { lines, netCents, vatCents, grossCents: netCents + vatCents, vatRate: VAT_RATE };
}

/** SEPA debit date: 14 calendar days after the invoice (pre-notification period), moved off weekends. */
export function debitDate(issuedOn: string): string {
  let d = addDays(issuedOn, 14);
  for (;;) {
    const dow = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) return d;
    d = addDays(d, 1);
  }
}

/** 1234567 → "12.345,67 €" (German number format). */
export function formatEuro(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${neg ? '−' : ''}${euros},${String(abs % 100).padStart(2, '0')} €`;
}

/** The month before the one holding `date` (YYYY-MM-DD) as YYYY-MM. */
export function previousMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The instants a Berlin month begins and ends. */
export function monthBounds(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { start: zonedToUtc(`${month}-01`, '00:00'), end: zonedToUtc(next, '00:00') };
}
