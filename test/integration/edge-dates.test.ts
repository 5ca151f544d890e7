// The date-sensitive rules at the calendar's edges (test/edge-dates.ts), on
// PostgreSQL and PGlite: the notice period, the pro-rata invoice of the
// month, the reminders before a consultation, and the retention purge.
import { BACKENDS, createTestAppointment, registerWithSession, resetClock } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { callEvents, callStatsMonthly, outbox, planPeriods, users } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { cancelContract, getContract, getInvoice, runContractJobs, upgradeToPlus } from '@/lib/contracts/service';
import { inviteForAppointment } from '@/lib/appointments/invite';
import { purgeCallEvents, recordCallEnded, recordCallStarted } from '@/lib/stats/service';
import { EDGE_DATES, berlinInstant } from '../edge-dates';

const SEPA = { accountHolder: 'Praxis Dr. Rand', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', sepaMandate: true };
const HOUR = 3600_000;

function nextMonthFirst(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

describe.each(BACKENDS)('edge dates on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterEach(() => resetClock());
  afterAll(async () => {
    await close?.();
  });

  describe.each(EDGE_DATES)('$name ($date $time)', (edge) => {
    const at = berlinInstant(edge.date, edge.time);
    const month = edge.date.slice(0, 7);

    it('notice given that day ends the contract on the right quarter end; upgrading that day bills the right days', async () => {
      const { account, session } = await registerWithSession(db);
      // The organisation and its user exist since well before the month.
      const long = new Date(at.getTime() - 90 * 24 * HOUR);
      await db.update(users).set({ createdAt: long }).where(eq(users.orgId, account.orgId));
      await db.update(planPeriods).set({ fromAt: long }).where(eq(planPeriods.orgId, account.orgId));
      setClock({ fixed: at });
      expect((await getContract(db, session)).nextEndIfCancelledToday).toBe(edge.contractEnds);
      await upgradeToPlus(db, session, SEPA);
      expect((await cancelContract(db, session)).endsOn).toBe(edge.contractEnds);

      resetClock();
      await runContractJobs(db, berlinInstant(nextMonthFirst(edge.date), '06:00'));
      setClock({ fixed: berlinInstant(nextMonthFirst(edge.date), '06:00') });
      const listed = (await getContract(db, session)).invoices.find((i) => i.month === month);
      expect(listed, `an invoice for ${month}`).toBeDefined();
      const inv = await getInvoice(db, session, listed!.id);
      const users_ = inv.data.lines.find((l) => l.key === 'users')!;
      expect({ days: users_.days, daysInMonth: users_.daysInMonth }).toEqual({ days: edge.plusDays, daysInMonth: edge.monthDays });
      expect(users_.amountCents).toBe(Math.round((1900 * edge.plusDays) / edge.monthDays));
    });

    it('reminders go out 24 h and 1 h before the consultation, and none that would already be late', async () => {
      const { account, session } = await registerWithSession(db);
      await upgradeToPlus(db, session, SEPA);
      const startsAt = berlinInstant(edge.date, edge.appointmentTime);
      const { id, codes } = await createTestAppointment(db, session, account, { startsAt, durationMin: 60 });
      // Invited the evening before, 10 hours ahead: the 24-hour reminder is already too late.
      setClock({ fixed: new Date(startsAt.getTime() - 10 * HOUR) });
      const invite = { channel: 'email' as const, to: 'patient@example.org', code: codes.patientCode, locale: 'de' as const, invitation: true, reminders: [24, 1] };
      expect((await inviteForAppointment(db, session, id, invite)).queued).toBe(2);
      const rows = await db
        .select({ kind: outbox.template, at: outbox.nextAttemptAt })
        .from(outbox)
        .where(and(eq(outbox.orgId, account.orgId), eq(outbox.appointmentId, id)));
      const times = rows.map((r) => r.at.getTime()).sort();
      expect(times).toEqual([startsAt.getTime() - 10 * HOUR, startsAt.getTime() - HOUR]);
      // Two days ahead both reminders are queued, 24 real hours apart across a change of the clocks too.
      setClock({ fixed: new Date(startsAt.getTime() - 48 * HOUR) });
      expect((await inviteForAppointment(db, session, id, { ...invite, invitation: false })).queued).toBe(2);
    });

    it('a call that day is kept for three months, then folded into its Berlin month', async () => {
      const { account } = await registerWithSession(db);
      const callId = crypto.randomUUID();
      const start = { orgId: account.orgId, userId: account.userId, callId, participants: 2 };
      await recordCallStarted(db, { ...start, at });
      await recordCallEnded(db, { ...start, at: new Date(at.getTime() + 20 * 60_000) });
      await purgeCallEvents(db, { now: new Date(at.getTime() + 80 * 24 * HOUR) });
      expect(await db.select().from(callEvents).where(eq(callEvents.callId, callId))).toHaveLength(2);
      await purgeCallEvents(db, { now: new Date(at.getTime() + 95 * 24 * HOUR) });
      expect(await db.select().from(callEvents).where(eq(callEvents.callId, callId))).toHaveLength(0);
      const agg = await db.select().from(callStatsMonthly).where(eq(callStatsMonthly.orgId, account.orgId));
      expect(agg.map((r) => ({ month: r.month, calls: r.calls, durationS: r.durationS }))).toEqual([{ month, calls: 1, durationS: 1200 }]);
    });
  });
});
