import { describe, expect, it } from 'vitest';
import { foldEvents, type CallEventType, type StatsEvent } from './fold';
import { combineMonthly } from './merge';

// What the purge does, event by event: everything before the cutoff is folded
// into aggregates (and its raw row deleted), the rest stays raw. Whatever the
// cutoff, the combined view must count each event exactly once.
const ORG = '00000000-0000-4000-8000-000000000001';
const U1 = '00000000-0000-4000-8000-0000000000a1';

const ev = (type: CallEventType, iso: string, p: Partial<StatsEvent> = {}): StatsEvent => ({
  orgId: ORG,
  userId: U1,
  type,
  kind: 'consultation',
  participants: type.startsWith('call') ? 2 : null,
  durationS: type === 'call_ended' ? 600 : null,
  occurredAt: new Date(iso),
  ...p,
});

const EVENTS: StatsEvent[] = [
  ev('call_started', '2026-01-31T22:50:00Z'),
  ev('call_ended', '2026-01-31T23:00:00Z'), // midnight in Berlin: February
  ev('invitation_manual', '2026-01-15T10:00:00Z'),
  ev('call_started', '2026-02-14T08:00:00Z'),
  ev('call_ended', '2026-02-14T08:10:00Z'),
  ev('invitation_email', '2026-02-14T07:00:00Z'),
  ev('invitation_sms', '2026-02-28T22:59:59Z'), // still February in Berlin
  ev('meeting_invitation', '2026-03-01T09:00:00Z', { kind: 'conference' }),
  ev('call_ended', '2026-03-02T09:00:00Z', { kind: 'conference', participants: 4, durationS: 1800 }),
  ev('call_ended', '2026-04-30T21:59:00Z', { userId: null }), // a removed member's call, April in Berlin
];

const purgeAt = (cutoffIso: string) => {
  const cutoff = new Date(cutoffIso);
  return { aggregates: foldEvents(EVENTS.filter((e) => e.occurredAt < cutoff)), raw: EVENTS.filter((e) => e.occurredAt >= cutoff) };
};

describe('combineMonthly: aggregates + raw events, each event once', () => {
  const all = { from: '2026-01', to: '2026-04' };
  const everything = foldEvents(EVENTS);

  it.each([
    ['nothing folded yet', '2025-01-01T00:00:00Z'],
    ['January half folded (a partly folded month)', '2026-01-20T00:00:00Z'],
    ['the cutoff between the start and the end of a call', '2026-01-31T22:55:00Z'],
    ['exactly at an event (it stays raw)', '2026-02-14T08:10:00Z'],
    ['at the Berlin month change', '2026-02-28T23:00:00Z'],
    ['everything but April folded', '2026-04-01T00:00:00Z'],
    ['everything folded', '2027-01-01T00:00:00Z'],
  ])('%s', (_what, cutoff) => {
    const { aggregates, raw } = purgeAt(cutoff);
    expect(combineMonthly(aggregates, raw, all)).toEqual(everything);
  });

  it.each([
    // [from, to, months expected in the answer]
    ['2026-02', '2026-02', ['2026-02']],
    ['2026-01', '2026-01', ['2026-01']],
    ['2026-03', '2026-04', ['2026-03', '2026-04']],
    ['2025-06', '2025-12', []],
  ])('limits to the Berlin months %s … %s, on both sides of the cutoff', (from, to, months) => {
    for (const cutoff of ['2025-01-01T00:00:00Z', '2026-02-20T00:00:00Z', '2027-01-01T00:00:00Z']) {
      const { aggregates, raw } = purgeAt(cutoff);
      const got = combineMonthly(aggregates, raw, { from, to });
      expect([...new Set(got.map((r) => r.month))]).toEqual(months);
      expect(got).toEqual(everything.filter((r) => r.month >= from && r.month <= to));
    }
  });

  it('February: one call at Berlin midnight and one mid-month, e-mail and SMS invitations', () => {
    const { aggregates, raw } = purgeAt('2026-02-14T08:05:00Z');
    const feb = combineMonthly(aggregates, raw, { from: '2026-02', to: '2026-02' });
    expect(feb).toMatchObject([{ month: '2026-02', userId: U1, kind: 'consultation', calls: 2, durationS: 1200, participants: 4, invitationsEmail: 1, invitationsSms: 1, invitationsManual: 0 }]);
  });
});
