import { describe, expect, it } from 'vitest';
import { durationSeconds, foldEvents, mergeAggregates, type MonthlyAggregate, type StatsEvent } from './fold';

const ORG = '00000000-0000-4000-8000-000000000001';
const U1 = '00000000-0000-4000-8000-0000000000a1';
const U2 = '00000000-0000-4000-8000-0000000000a2';

function ev(p: Partial<StatsEvent> & Pick<StatsEvent, 'type'>): StatsEvent {
  return { orgId: ORG, userId: U1, kind: 'consultation', participants: null, durationS: null, occurredAt: new Date('2026-02-10T10:00:00Z'), ...p };
}

const zero = { calls: 0, durationS: 0, participants: 0, invitationsSms: 0, invitationsEmail: 0, invitationsManual: 0, meetingInvitations: 0 };

describe('foldEvents', () => {
  it('counts ended calls with their duration and participants, and each invitation type; ignores starts', () => {
    const rows = foldEvents([
      ev({ type: 'call_started', participants: 2 }),
      ev({ type: 'call_ended', participants: 2, durationS: 300 }),
      ev({ type: 'call_ended', participants: 3, durationS: 60 }),
      ev({ type: 'invitation_sms' }),
      ev({ type: 'invitation_sms' }),
      ev({ type: 'invitation_email' }),
      ev({ type: 'invitation_manual' }),
    ]);
    expect(rows).toEqual([
      { orgId: ORG, userId: U1, month: '2026-02', kind: 'consultation', ...zero, calls: 2, durationS: 360, participants: 5, invitationsSms: 2, invitationsEmail: 1, invitationsManual: 1 },
    ]);
  });

  it('separates months in Berlin time, members (null last) and kinds', () => {
    const rows = foldEvents([
      ev({ type: 'call_ended', durationS: 10, participants: 2, occurredAt: new Date('2026-01-31T23:30:00Z') }), // February in Berlin
      ev({ type: 'call_ended', durationS: 20, participants: 2, occurredAt: new Date('2026-01-31T22:30:00Z') }), // still January
      ev({ type: 'meeting_invitation', kind: 'conference', userId: null, occurredAt: new Date('2026-01-31T23:30:00Z') }),
      ev({ type: 'call_ended', kind: 'conference', durationS: 5, participants: 4, userId: U2, occurredAt: new Date('2026-02-01T12:00:00Z') }),
    ]);
    expect(rows.map((r) => [r.month, r.userId, r.kind, r.calls, r.durationS, r.participants, r.meetingInvitations])).toEqual([
      ['2026-01', U1, 'consultation', 1, 20, 2, 0],
      ['2026-02', U1, 'consultation', 1, 10, 2, 0],
      ['2026-02', U2, 'conference', 1, 5, 4, 0],
      ['2026-02', null, 'conference', 0, 0, 0, 1],
    ]);
  });

  it('treats a missing duration or participant count as 0', () => {
    const [row] = foldEvents([ev({ type: 'call_ended' })]);
    expect(row).toMatchObject({ calls: 1, durationS: 0, participants: 0 });
  });

  it('folds nothing into nothing, and starts alone into nothing', () => {
    expect(foldEvents([])).toEqual([]);
    expect(foldEvents([ev({ type: 'call_started', participants: 2 })])).toEqual([]);
  });
});

describe('mergeAggregates', () => {
  it('adds rows with the same key and keeps the others apart', () => {
    const a: MonthlyAggregate = { orgId: ORG, userId: null, month: '2026-02', kind: 'consultation', ...zero, calls: 1, durationS: 100, participants: 2 };
    const b: MonthlyAggregate = { ...a, calls: 2, durationS: 50, participants: 4, invitationsEmail: 3 };
    const c: MonthlyAggregate = { ...a, userId: U1 };
    expect(mergeAggregates([a, c, b])).toEqual([c, { ...a, calls: 3, durationS: 150, participants: 6, invitationsEmail: 3 }]);
  });
});

describe('durationSeconds', () => {
  it.each([
    ['2026-02-01T10:00:00Z', '2026-02-01T10:05:00Z', 300],
    ['2026-02-01T10:00:00Z', '2026-02-01T10:00:00.999Z', 0],
    ['2026-02-01T10:00:00.500Z', '2026-02-01T10:00:02.400Z', 1],
    ['2026-02-01T10:00:00Z', '2026-02-01T09:00:00Z', 0], // end before start
  ])('%s → %s = %i s', (s, e, d) => {
    expect(durationSeconds(new Date(s), new Date(e))).toBe(d);
  });
});
