// Call events and statistics (lib/stats/service.ts, lib/stats/report.ts), on PostgreSQL and PGlite:
// idempotent recording, durations, the three-month retention purge that folds
// raw events into monthly aggregates, the combined monthly view, and the
// statistics page's report: its figures, who sees what, its range rules.
import { BACKENDS, addMember, createTestAppointment, expectAppError, registerAccount, registerWithSession, resetClock, sessionFor, uid, type Account } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { callEvents, callStatsMonthly, smsUsage } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { monthlyStats, purgeCallEvents, recordCallEnded, recordCallStarted, recordInvitation, type MonthlyStatsRow } from '@/lib/stats/service';
import { retentionCutoff } from '@/lib/stats/months';
import { statsReport, type StatsReport } from '@/lib/stats/report';
import { zeroFigures, type Figures } from '@/lib/stats/figures';
import { inviteForAppointment } from '@/lib/appointments/invite';
import { removeMember } from '@/lib/members/service';
import type { SessionContext } from '@/lib/auth/sessions';

const at = (iso: string) => new Date(iso);
const ZERO = { calls: 0, durationS: 0, participants: 0, invitationsSms: 0, invitationsEmail: 0, invitationsManual: 0, meetingInvitations: 0 };

/** Rows keyed by "month|member|kind", with member ids replaced by names, so the order of random ids doesn't matter. */
function keyed(rows: MonthlyStatsRow[], names: Record<string, string>) {
  const out: Record<string, Omit<MonthlyStatsRow, 'month' | 'userId' | 'kind'>> = {};
  for (const { month, userId, kind, ...counts } of rows) out[`${month}|${userId === null ? 'removed' : (names[userId] ?? userId)}|${kind}`] = counts;
  return out;
}

async function eventsOf(db: Db, orgId: string) {
  return db.select().from(callEvents).where(eq(callEvents.orgId, orgId));
}

async function aggregatesOf(db: Db, orgId: string) {
  const rows = await db.select().from(callStatsMonthly).where(eq(callStatsMonthly.orgId, orgId));
  expect(rows.every((r) => r.orgId === orgId)).toBe(true);
  return rows.map(({ id: _id, orgId: _org, ...r }) => r).sort((a, b) => `${a.month}${a.userId}${a.kind}`.localeCompare(`${b.month}${b.userId}${b.kind}`));
}

describe.each(BACKENDS)('call statistics on %s', (backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let a: Account;
  let memberId: string;
  let b: Account;

  beforeAll(async () => {
    ({ db, close } = await open());
    const reg = await registerWithSession(db);
    a = reg.account;
    memberId = (await addMember(db, { session: reg.session, user: a.user })).userId;
    b = await registerAccount(db);
  });
  afterEach(() => {
    resetClock();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await close?.();
  });

  it('records start and end once per call; the end carries the duration since the start', async () => {
    const callId = uid();
    const start = { orgId: a.orgId, userId: a.userId, callId, participants: 2 };
    setClock({ fixed: at('2026-03-10T09:00:00Z') });
    expect(await recordCallStarted(db, start)).toBe(true);
    setClock({ fixed: at('2026-03-10T09:01:00Z') });
    expect(await recordCallStarted(db, start)).toBe(false); // the second connect of the same call
    setClock({ fixed: at('2026-03-10T09:12:34.900Z') });
    expect(await recordCallEnded(db, start)).toBe(true);
    setClock({ fixed: at('2026-03-10T09:20:00Z') });
    expect(await recordCallEnded(db, { ...start, participants: 3 })).toBe(false);

    const rows = (await db.select().from(callEvents).where(eq(callEvents.callId, callId))).sort((x, y) => x.type.localeCompare(y.type));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ type: 'call_ended', orgId: a.orgId, userId: a.userId, kind: 'consultation', participants: 2, durationS: 754 });
    expect(rows[0]!.occurredAt.toISOString()).toBe('2026-03-10T09:12:34.900Z');
    expect(rows[1]).toMatchObject({ type: 'call_started', participants: 2, durationS: null });
    expect(rows[1]!.occurredAt.toISOString()).toBe('2026-03-10T09:00:00.000Z');
  });

  it('an end without a start lasts 0 s; an explicit time wins over the clock; invitations count each time', async () => {
    const lonely = uid();
    expect(await recordCallEnded(db, { orgId: a.orgId, userId: a.userId, callId: lonely, kind: 'conference', participants: 5 })).toBe(true);
    const [ended] = await db.select().from(callEvents).where(eq(callEvents.callId, lonely));
    expect(ended).toMatchObject({ type: 'call_ended', kind: 'conference', durationS: 0, participants: 5 });

    const timed = uid();
    const base = { orgId: a.orgId, userId: memberId, callId: timed, participants: 2 };
    await recordCallStarted(db, { ...base, at: at('2026-04-01T10:00:00Z') });
    await recordCallEnded(db, { ...base, at: at('2026-04-01T10:45:00Z') });
    const [end] = await db
      .select()
      .from(callEvents)
      .where(and(eq(callEvents.callId, timed), eq(callEvents.type, 'call_ended')));
    expect(end!.durationS).toBe(2700);

    const before = (await eventsOf(db, b.orgId)).length;
    await recordInvitation(db, { orgId: b.orgId, userId: b.userId, type: 'invitation_sms' });
    await recordInvitation(db, { orgId: b.orgId, userId: b.userId, type: 'invitation_sms' });
    await recordInvitation(db, { orgId: b.orgId, userId: null, type: 'meeting_invitation' });
    const after = await eventsOf(db, b.orgId);
    expect(after).toHaveLength(before + 3);
    expect(after.filter((e) => e.type === 'meeting_invitation')).toMatchObject([{ kind: 'conference', userId: null, callId: null }]);
    expect(after.filter((e) => e.type === 'invitation_sms').every((e) => e.kind === 'consultation')).toBe(true);

    await expect(recordCallStarted(db, { ...base, callId: uid(), participants: -1 })).rejects.toThrow(RangeError);
  });

  it('a purge three months and a day later folds and deletes exactly the old events, once', async () => {
    const T0 = at('2025-01-31T23:30:00Z'); // 00:30 on 1 February in Berlin
    const T1 = at('2025-05-01T23:30:00Z'); // T0 + 3 months (clamped to 30 April) + 1 day
    const cutoff = retentionCutoff(T1);
    expect(cutoff.toISOString()).toBe('2025-02-01T23:30:00.000Z');
    const owner = a.userId;

    // Old: everything before the cutoff.
    setClock({ fixed: T0 });
    const c1 = uid();
    await recordCallStarted(db, { orgId: a.orgId, userId: owner, callId: c1, participants: 2, at: at('2025-01-31T23:20:00Z') });
    await recordCallEnded(db, { orgId: a.orgId, userId: owner, callId: c1, participants: 2 }); // 600 s, February in Berlin
    const c2 = uid();
    await recordCallStarted(db, { orgId: a.orgId, userId: memberId, callId: c2, kind: 'conference', participants: 4, at: at('2025-01-15T09:00:00Z') });
    await recordCallEnded(db, { orgId: a.orgId, userId: memberId, callId: c2, kind: 'conference', participants: 4, at: at('2025-01-15T09:30:00Z') });
    await recordInvitation(db, { orgId: a.orgId, userId: owner, type: 'invitation_sms' });
    await recordInvitation(db, { orgId: a.orgId, userId: owner, type: 'invitation_sms' });
    await recordInvitation(db, { orgId: a.orgId, userId: owner, type: 'invitation_email', at: at('2025-01-15T12:00:00Z') });
    await recordInvitation(db, { orgId: a.orgId, userId: memberId, type: 'meeting_invitation' });
    await recordCallEnded(db, { orgId: b.orgId, userId: b.userId, callId: uid(), participants: 2 });
    // At the boundary: one millisecond before the cutoff is old, the cutoff itself is not.
    const c4 = uid();
    await recordCallStarted(db, { orgId: a.orgId, userId: owner, callId: c4, participants: 2, at: new Date(cutoff.getTime() - 60_000) });
    await recordCallEnded(db, { orgId: a.orgId, userId: owner, callId: c4, participants: 2, at: cutoff });
    await recordInvitation(db, { orgId: a.orgId, userId: owner, type: 'invitation_manual', at: new Date(cutoff.getTime() - 1) });
    await recordInvitation(db, { orgId: a.orgId, userId: owner, type: 'invitation_manual', at: cutoff });

    // Recent: a call three months and a day later.
    setClock({ fixed: T1 });
    const c5 = uid();
    await recordCallStarted(db, { orgId: a.orgId, userId: owner, callId: c5, participants: 2, at: new Date(T1.getTime() - 120_000) });
    await recordCallEnded(db, { orgId: a.orgId, userId: owner, callId: c5, participants: 2 });

    const period = { from: '2025-01', to: '2025-05' };
    const names = { [owner]: 'owner', [memberId]: 'member', [b.userId]: 'ownerB' };
    const expected = {
      '2025-01|owner|consultation': { ...ZERO, invitationsEmail: 1 },
      '2025-01|member|conference': { ...ZERO, calls: 1, durationS: 1800, participants: 4 },
      '2025-02|owner|consultation': { ...ZERO, calls: 2, durationS: 660, participants: 4, invitationsSms: 2, invitationsManual: 2 },
      '2025-02|member|conference': { ...ZERO, meetingInvitations: 1 },
      '2025-05|owner|consultation': { ...ZERO, calls: 1, durationS: 120, participants: 2 },
    };
    const statsBefore = await monthlyStats(db, a.orgId, period);
    expect(keyed(statsBefore, names)).toEqual(expected);
    expect(statsBefore.map((r) => r.month)).toEqual([...statsBefore.map((r) => r.month)].sort());
    const bBefore = await monthlyStats(db, b.orgId, { from: '2025-02', to: '2025-02' });
    expect(keyed(bBefore, names)).toEqual({ '2025-02|ownerB|consultation': { ...ZERO, calls: 1, participants: 2 } });

    const eventsBefore = await eventsOf(db, a.orgId);
    const oldIds = eventsBefore.filter((e) => e.occurredAt < cutoff).map((e) => e.id);
    expect(oldIds).toHaveLength(10);

    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
    const first = await purgeCallEvents(db); // now() = T1
    expect(first.cutoff.toISOString()).toBe(cutoff.toISOString());
    expect(first.deleted).toBeGreaterThanOrEqual(11); // 10 of organisation A, 1 of B (other suites may add their own)
    // Only counts are logged.
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line).toMatch(/^\[stats\] purged \d+ call events into \d+ monthly upserts$/);

    // Exactly the old events are gone, the rest is untouched.
    const eventsAfter = await eventsOf(db, a.orgId);
    expect(eventsAfter.map((e) => e.id).sort()).toEqual(eventsBefore.filter((e) => e.occurredAt >= cutoff).map((e) => e.id).sort());
    expect(eventsAfter.some((e) => oldIds.includes(e.id))).toBe(false);
    // Kept from this test: c4's end and the invitation at the cutoff, c5's start and end.
    expect(eventsAfter.filter((e) => e.occurredAt >= cutoff && e.occurredAt <= T1)).toHaveLength(4);
    expect(await eventsOf(db, b.orgId).then((r) => r.filter((e) => e.occurredAt < cutoff))).toHaveLength(0);

    // The aggregates hold the old events, per Berlin month, member and kind.
    const aggs = await aggregatesOf(db, a.orgId);
    expect(keyed(aggs, names)).toEqual({
      '2025-01|owner|consultation': { ...ZERO, invitationsEmail: 1 },
      '2025-01|member|conference': { ...ZERO, calls: 1, durationS: 1800, participants: 4 },
      '2025-02|owner|consultation': { ...ZERO, calls: 1, durationS: 600, participants: 2, invitationsSms: 2, invitationsManual: 1 },
      '2025-02|member|conference': { ...ZERO, meetingInvitations: 1 },
    });
    expect(keyed(await aggregatesOf(db, b.orgId), names)).toEqual({ '2025-02|ownerB|consultation': { ...ZERO, calls: 1, participants: 2 } });

    // The combined view is the same as before the purge.
    expect(await monthlyStats(db, a.orgId, period)).toEqual(statsBefore);
    expect(await monthlyStats(db, b.orgId, { from: '2025-02', to: '2025-02' })).toEqual(bBefore);
    expect(keyed(await monthlyStats(db, a.orgId, { from: '2025-02', to: '2025-02' }), names)).toEqual({
      '2025-02|owner|consultation': expected['2025-02|owner|consultation'],
      '2025-02|member|conference': expected['2025-02|member|conference'],
    });

    // Running it again changes nothing.
    const second = await purgeCallEvents(db);
    expect(second).toEqual({ cutoff, deleted: 0, upserted: 0 });
    expect(await aggregatesOf(db, a.orgId)).toEqual(aggs);
    expect((await eventsOf(db, a.orgId)).map((e) => e.id).sort()).toEqual(eventsAfter.map((e) => e.id).sort());

    // A malformed or reversed month range is refused.
    await expect(monthlyStats(db, a.orgId, { from: '2025-05', to: '2025-01' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(monthlyStats(db, a.orgId, { from: '2025-13', to: '2025-14' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('two purges at once count every event exactly once', async () => {
    const c = await registerAccount(db);
    const names = { [c.userId]: 'owner' };
    let calls = 0;
    let duration = 0;
    let participants = 0;
    // 120 calls and 60 invitations spread over June to August 2024 (Berlin).
    for (let i = 0; i < 120; i++) {
      const callId = uid();
      const start = new Date(Date.UTC(2024, 5 + (i % 3), 1 + (i % 28), 8, i % 60));
      const len = 30 + i * 7;
      const n = 2 + (i % 3);
      await recordCallStarted(db, { orgId: c.orgId, userId: c.userId, callId, participants: n, at: start });
      await recordCallEnded(db, { orgId: c.orgId, userId: c.userId, callId, participants: n, at: new Date(start.getTime() + len * 1000) });
      calls++;
      duration += len;
      participants += n;
    }
    for (let i = 0; i < 60; i++) {
      await recordInvitation(db, { orgId: c.orgId, userId: c.userId, type: i % 2 ? 'invitation_email' : 'invitation_sms', at: new Date(Date.UTC(2024, 5 + (i % 3), 3, 12)) });
    }
    const period = { from: '2024-06', to: '2024-08' };
    const before = await monthlyStats(db, c.orgId, period);
    expect(before).toHaveLength(3);

    const purgeNow = at('2024-12-01T00:00:00Z');
    const results = await Promise.all([purgeCallEvents(db, { now: purgeNow, batchSize: 37 }), purgeCallEvents(db, { now: purgeNow, batchSize: 37 })]);
    expect(results[0].deleted + results[1].deleted).toBeGreaterThanOrEqual(300);
    expect(await eventsOf(db, c.orgId)).toHaveLength(0);

    const aggs = await aggregatesOf(db, c.orgId);
    const sum = (k: keyof typeof ZERO) => aggs.reduce((s, r) => s + r[k], 0);
    expect(sum('calls')).toBe(calls);
    expect(sum('durationS')).toBe(duration);
    expect(sum('participants')).toBe(participants);
    expect(sum('invitationsSms')).toBe(30);
    expect(sum('invitationsEmail')).toBe(30);
    expect(aggs).toHaveLength(3);
    expect(keyed(await monthlyStats(db, c.orgId, period), names)).toEqual(keyed(before, names));

    const again = await Promise.all([purgeCallEvents(db, { now: purgeNow }), purgeCallEvents(db, { now: purgeNow })]);
    expect(again.map((r) => r.deleted)).toEqual([0, 0]);
    expect(await aggregatesOf(db, c.orgId)).toEqual(aggs);
  });

  it('the statistics tables hold ids, counts, durations and times only: no column for patient data', async () => {
    const columns = async (table: string) => {
      const res = await db.execute(
        sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table} order by column_name`,
      );
      const rows = (Array.isArray(res) ? res : (res as unknown as { rows: unknown[] }).rows) as { column_name: string }[];
      return rows.map((r) => r.column_name);
    };
    expect(await columns('call_events')).toEqual(['call_id', 'duration_s', 'id', 'kind', 'occurred_at', 'org_id', 'participants', 'type', 'user_id']);
    expect(await columns('call_stats_monthly')).toEqual([
      'calls',
      'duration_s',
      'id',
      'invitations_email',
      'invitations_manual',
      'invitations_sms',
      'kind',
      'meeting_invitations',
      'month',
      'org_id',
      'participants',
      'user_id',
    ]);
    expect(backend).toMatch(/postgres|pglite/);
  });
});

describe.each(BACKENDS)('the statistics report on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  let owner: SessionContext;
  let ownerAccount: Account;
  let member: SessionContext;
  let leaver: string;
  let other: SessionContext;

  // "Now" for the report: 15 June 2026; raw events before 15 March 2026, 10:00 UTC are folded by the purge.
  const NOW = at('2026-06-15T10:00:00Z');
  const F = (p: Partial<Figures>): Figures => ({ ...zeroFigures(), ...p });

  /** A call as the video service records it: start, then end with the duration since the start. */
  async function call(s: SessionContext, startIso: string, minutes: number, opts: { kind?: 'consultation' | 'conference'; participants?: number; userId?: string } = {}) {
    const input = { orgId: s.orgId, userId: opts.userId ?? s.userId, callId: uid(), kind: opts.kind, participants: opts.participants ?? 2 };
    const start = at(startIso);
    expect(await recordCallStarted(db, { ...input, at: start })).toBe(true);
    expect(await recordCallEnded(db, { ...input, at: new Date(start.getTime() + minutes * 60_000) })).toBe(true);
  }

  /** The practice hands over the prepared invitation itself (the appointment page's "copied" path). */
  async function manualInvitation(s: SessionContext, account: { orgKey: Account['orgKey']; orgId: string }, iso: string) {
    setClock({ fixed: at(iso) });
    const { id } = await createTestAppointment(db, s, account, { startsAt: at(iso) });
    expect(await inviteForAppointment(db, s, id, { channel: 'manual' })).toEqual({ queued: 0 });
  }

  const without = ({ detailSince: _d, ...r }: StatsReport) => r;

  beforeAll(async () => {
    ({ db, close } = await open());
    const reg = await registerWithSession(db);
    owner = reg.session;
    ownerAccount = reg.account;
    const m = await addMember(db, { session: reg.session, user: reg.account.user }, { userShortName: 'mfa.lenz' });
    member = await sessionFor(db, m);
    leaver = (await addMember(db, { session: reg.session, user: reg.account.user }, { userShortName: 'dr.weg' })).userId;
    other = (await registerWithSession(db)).session;

    // January (folded by the purge): the owner's 20-minute consultation and a manual invitation.
    await call(owner, '2026-01-10T09:00:00Z', 20);
    await manualInvitation(owner, ownerAccount, '2026-01-09T08:00:00Z');
    // February (folded): a member who leaves later — 15 minutes.
    await call(owner, '2026-02-03T10:00:00Z', 15, { userId: leaver });
    // March, partly folded: before the cutoff 10 minutes, after it 5 minutes and an e-mail sent by Konsil.
    await call(owner, '2026-03-10T10:00:00Z', 10);
    await call(owner, '2026-03-20T10:00:00Z', 5);
    await recordInvitation(db, { orgId: owner.orgId, userId: owner.userId, type: 'invitation_email', at: at('2026-03-20T09:00:00Z') });
    // May (raw): the member's 30-minute consultation, manual invitation, an SMS invitation; a conference of three with its invitation.
    await call(member, '2026-05-05T07:00:00Z', 30);
    await manualInvitation(member, ownerAccount, '2026-05-04T12:00:00Z');
    await recordInvitation(db, { orgId: member.orgId, userId: member.userId, type: 'invitation_sms', at: at('2026-05-04T12:05:00Z') });
    await call(member, '2026-05-06T14:00:00Z', 45, { kind: 'conference', participants: 3 });
    await recordInvitation(db, { orgId: member.orgId, userId: member.userId, type: 'meeting_invitation', at: at('2026-05-06T08:00:00Z') });
    // Out of the default range: December 2025 (folded) and nothing of another organisation.
    await call(owner, '2025-12-31T21:00:00Z', 60); // ends at 23:00 on 31 December in Berlin
    await call(other, '2026-05-05T07:00:00Z', 99);
    // SMS the organisation sent (the outbox counts them per Berlin month when they go out).
    await db.insert(smsUsage).values([
      { orgId: owner.orgId, month: '2026-05', count: 1 },
      { orgId: owner.orgId, month: '2025-12', count: 40 },
      { orgId: other.orgId, month: '2026-05', count: 7 },
    ]);
    await removeMember(db, owner, leaver);
    setClock({ fixed: NOW });
  });
  afterAll(async () => {
    resetClock();
    await close?.();
  });

  const MONTHS = {
    '2026-01': F({ consultations: 1, consultationSeconds: 1200, invitationsManual: 1 }),
    '2026-02': F({ consultations: 1, consultationSeconds: 900 }),
    '2026-03': F({ consultations: 2, consultationSeconds: 900, invitationsEmail: 1 }),
    '2026-04': F({}),
    '2026-05': F({ consultations: 1, consultationSeconds: 1800, conferences: 1, conferenceSeconds: 2700, conferenceParticipants: 3, conferenceInvitations: 1, invitationsManual: 1, invitationsSms: 1 }),
    '2026-06': F({}),
  };

  function expectOrganisationReport(r: StatsReport) {
    expect(r).toMatchObject({ from: '2026-01', to: '2026-06', memberId: null, organisationView: true, detailSince: '2026-03' });
    expect(Object.fromEntries(r.months.map((m) => [m.month, m.figures]))).toEqual(MONTHS);
    expect(r.months.map((m) => m.sms)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(r.totalSms).toBe(1);
    expect(r.total).toEqual(
      F({ consultations: 5, consultationSeconds: 4800, conferences: 1, conferenceSeconds: 2700, conferenceParticipants: 3, conferenceInvitations: 1, invitationsManual: 2, invitationsEmail: 1, invitationsSms: 1 }),
    );
    const byName = Object.fromEntries(r.members.map((m) => [m.id === null ? 'former' : m.name, m.total]));
    expect(byName).toEqual({
      [owner.userShortName]: F({ consultations: 3, consultationSeconds: 2100, invitationsManual: 1, invitationsEmail: 1 }),
      'mfa.lenz': F({ consultations: 1, consultationSeconds: 1800, conferences: 1, conferenceSeconds: 2700, conferenceParticipants: 3, conferenceInvitations: 1, invitationsManual: 1, invitationsSms: 1 }),
      former: F({ consultations: 1, consultationSeconds: 900 }),
    });
    // Former members last; the filter offers current members only.
    expect(r.members.at(-1)!.id).toBeNull();
    expect(r.memberOptions.map((m) => m.name).sort()).toEqual([owner.userShortName, 'mfa.lenz'].sort());
  }

  it('an admin sees the organisation: the same figures before and after the purge folds the old months', async () => {
    const before = await statsReport(db, owner, {});
    expectOrganisationReport(before);
    const raw = await eventsOf(db, owner.orgId);
    expect(raw.some((e) => e.occurredAt < at('2026-03-15T10:00:00Z'))).toBe(true);

    const purge = await purgeCallEvents(db); // the fold job, at the clock's now
    expect(purge.cutoff.toISOString()).toBe('2026-03-15T10:00:00.000Z');
    const left = await eventsOf(db, owner.orgId);
    expect(left.every((e) => e.occurredAt >= purge.cutoff)).toBe(true);
    expect(left.length).toBeGreaterThan(0); // March's second half and May stay raw
    expect([...new Set((await aggregatesOf(db, owner.orgId)).map((a) => a.month))].sort()).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);

    const after = await statsReport(db, owner, {});
    expectOrganisationReport(after);
    expect(without(after)).toEqual(without(before));
    // A second run changes nothing either.
    await purgeCallEvents(db);
    expect(without(await statsReport(db, owner, {}))).toEqual(without(before));
  });

  it('an admin filters by member and by months; December and its SMS count in their own month only', async () => {
    const m = await statsReport(db, owner, { member: member.userId });
    expect(m.memberId).toBe(member.userId);
    expect(m.total).toEqual(MONTHS['2026-05']);
    expect(m.totalSms).toBeNull();
    expect(m.members.map((x) => x.name)).toEqual(['mfa.lenz']);
    const gone = await statsReport(db, owner, { member: leaver });
    expect(gone.members).toMatchObject([{ id: null, total: MONTHS['2026-02'] }]);

    const dec = await statsReport(db, owner, { from: '2025-12', to: '2025-12' });
    expect(dec.total).toEqual(F({ consultations: 1, consultationSeconds: 3600 }));
    expect(dec.totalSms).toBe(40);
    const march = await statsReport(db, owner, { from: '2026-03', to: '2026-03' });
    expect(march.months).toEqual([{ month: '2026-03', figures: MONTHS['2026-03'], sms: 0 }]);
  });

  it('a member sees their own figures only, whatever they ask for, and no SMS', async () => {
    for (const q of [{}, { member: owner.userId }, { member: '' }]) {
      const r = await statsReport(db, member, q);
      expect(r).toMatchObject({ memberId: member.userId, organisationView: false, memberOptions: [], totalSms: null });
      expect(r.total).toEqual(MONTHS['2026-05']);
      expect(r.members.map((x) => x.name)).toEqual(['mfa.lenz']);
      expect(r.months.every((x) => x.sms === null)).toBe(true);
    }
  });

  it('another organisation sees nothing of this one', async () => {
    const r = await statsReport(db, other, {});
    expect(r.total).toEqual(F({ consultations: 1, consultationSeconds: 99 * 60 }));
    expect(r.totalSms).toBe(7);
    expect(r.members.map((x) => x.id)).toEqual([other.userId]);
    await expectAppError(statsReport(db, other, { member: member.userId }), 'not_found');
    await expectAppError(statsReport(db, owner, { member: other.userId }), 'not_found');
  });

  it.each([
    [{ from: '2026-06', to: '2026-01' }, { to: 'monthRangeReversed' }],
    [{ from: '2024-01', to: '2026-06' }, { from: 'monthRangeTooLong' }],
    [{ from: '2026-13' }, { from: 'monthInvalid' }],
    [{ from: 'Januar', to: '2026/06' }, { from: 'monthInvalid', to: 'monthInvalid' }],
  ])('refuses the range %j with field errors %j', async (q, fields) => {
    const err = await expectAppError(statsReport(db, owner, q), 'validation');
    expect(err.fields).toEqual(fields);
  });
});
