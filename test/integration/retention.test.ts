// What is kept only for a while, and what must be kept although everything
// else goes (lib/jobs.ts → retention; lib/contracts/service.ts): §147 AO
// records outlive a deleted organisation; the last month of a cancelled
// contract is billed; call participants, finished outbox rows, stale rate
// limits and old invitations are purged on a schedule.
import { BACKENDS, addMember, createTestAppointment, inviteMember, registerWithSession, resetClock, uid } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { callParticipants, invitations, organisations, outbox, planPeriods, rateLimits, retainedRecords, users, appointments } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { cancelContract, purgeRetainedRecords, runContractJobs, upgradeToPlus } from '@/lib/contracts/service';
import { runScheduledJobs } from '@/lib/jobs';

const SEPA = { accountHolder: 'Praxis Dr. Archiv', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', sepaMandate: true };
const DAY = 86400_000;

describe.each(BACKENDS)('retention on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterEach(() => resetClock());
  afterAll(async () => {
    await close?.();
  });

  it("a cancelled contract's last month is billed; its invoices and mandate outlive the organisation for ten years, nothing else", async () => {
    const { account, session } = await registerWithSession(db);
    const long = new Date('2033-01-05T08:00:00Z');
    await db.update(users).set({ createdAt: long }).where(eq(users.orgId, account.orgId));
    await db.update(planPeriods).set({ fromAt: long }).where(eq(planPeriods.orgId, account.orgId));
    setClock({ fixed: new Date('2033-01-10T09:00:00Z') });
    await upgradeToPlus(db, session, SEPA);
    const { endsOn } = await cancelContract(db, session);
    expect(endsOn).toBe('2033-06-30');
    resetClock();
    await runContractJobs(db, new Date('2033-02-01T06:00:00Z'));
    // The morning after the last day: June is billed, then the organisation goes.
    const report = await runContractJobs(db, new Date('2033-07-01T06:00:00Z'));
    expect(report.deletedOrganisations).toBe(1);
    expect(await db.select().from(organisations).where(eq(organisations.id, account.orgId))).toEqual([]);
    const kept = await db.select().from(retainedRecords).where(eq(retainedRecords.formerOrgId, account.orgId));
    const invoicesKept = kept.filter((r) => r.kind === 'invoice');
    expect(invoicesKept.map((r) => (r.data as { month: string }).month).sort()).toEqual(['2033-01', '2033-06']);
    expect(invoicesKept.every((r) => r.retainUntil === '2043-12-31')).toBe(true);
    const mandate = kept.find((r) => r.kind === 'sepa_mandate')!;
    expect(mandate.retainUntil).toBe('2043-12-31');
    expect(mandate.data).toMatchObject({ accountHolder: SEPA.accountHolder, iban: SEPA.iban });
    // Nothing but what an invoice needs: no user, no key, no patient.
    const dump = JSON.stringify(kept);
    for (const absent of [account.userShortName, account.user.material.x25519Public, account.request.user.wrappedUserKeyPw]) expect(dump).not.toContain(absent);
    // The last invoice's mail belongs to no organisation any more, so it still goes out.
    const [mail] = await db.select().from(outbox).where(and(isNull(outbox.orgId), eq(outbox.template, 'invoice_ready'), eq(outbox.recipient, account.request.contract.email)));
    expect(mail).toBeDefined();
    // Kept until the last day of the tenth year, then purged.
    const keptOf = async () => (await db.select().from(retainedRecords).where(eq(retainedRecords.formerOrgId, account.orgId))).length;
    await purgeRetainedRecords(db, new Date('2043-12-31T12:00:00Z'));
    expect(await keptOf()).toBe(kept.length);
    await purgeRetainedRecords(db, new Date('2044-01-01T12:00:00Z'));
    expect(await keptOf()).toBe(0);
  });

  it('call participants go after three months, finished outbox rows after 45 days, stale counters after a day, old invitations after a month', async () => {
    const { account, session } = await registerWithSession(db);
    const t0 = new Date('2034-03-01T10:00:00Z');
    setClock({ fixed: t0 });
    // A call participant, a sent and a pending message, a counter, an expired invitation and one a pending member needs.
    const { id } = await createTestAppointment(db, session, account, { startsAt: t0, durationMin: 15 });
    await db.insert(callParticipants).values({ appointmentId: id, orgId: account.orgId, role: 'patient', tokenHash: `t-${uid()}`, state: 'left' });
    await db.insert(outbox).values([
      { orgId: account.orgId, channel: 'email', template: 'test', recipient: 'a@b.c', subject: '', bodyText: '', status: 'sent' },
      { orgId: account.orgId, channel: 'email', template: 'test', recipient: 'a@b.c', subject: '', bodyText: '', status: 'pending' },
    ]);
    const key = `test:${uid()}`;
    await db.insert(rateLimits).values({ key, failures: 3, windowStart: t0 });
    const pending = await inviteMember(db, session); // stays pending: its invitation must stay
    await addMember(db, { session, user: account.user }); // confirmed: its invitation may go
    const ours = async () => ({
      participants: (await db.select().from(callParticipants).where(eq(callParticipants.appointmentId, id))).length,
      outbox: (await db.select().from(outbox).where(and(eq(outbox.orgId, account.orgId), eq(outbox.template, 'test')))).map((r) => r.status).sort(),
      counter: (await db.select().from(rateLimits).where(eq(rateLimits.key, key))).length,
      invitations: (await db.select().from(invitations).where(eq(invitations.orgId, account.orgId))).map((i) => i.userId === pending.userId),
    });
    // Two months on: everything still there but the counter.
    await runScheduledJobs(db, new Date(t0.getTime() + 60 * DAY));
    expect(await ours()).toEqual({ participants: 1, outbox: ['pending'], counter: 0, invitations: [true] });
    // Three months and a day: the participant goes with the call events; the pending member's invitation stays.
    await runScheduledJobs(db, new Date(t0.getTime() + 93 * DAY));
    expect(await ours()).toEqual({ participants: 0, outbox: ['pending'], counter: 0, invitations: [true] });
    expect(await db.select().from(appointments).where(eq(appointments.id, id))).toHaveLength(1);
  });
});
