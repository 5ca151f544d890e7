// Call events and statistics (lib/stats/service.ts), on PostgreSQL and PGlite:
// idempotent recording, durations, the three-month retention purge that folds
// raw events into monthly aggregates, and the combined monthly view.
import { BACKENDS, addMember, registerAccount, registerWithSession, resetClock, uid, type Account } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { callEvents, callStatsMonthly } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { monthlyStats, purgeCallEvents, recordCallEnded, recordCallStarted, recordInvitation, type MonthlyStatsRow } from '@/lib/stats/service';
import { retentionCutoff } from '@/lib/stats/months';

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
