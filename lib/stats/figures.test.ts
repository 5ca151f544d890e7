import { describe, expect, it } from 'vitest';
import { averageSeconds, buildFigures, figuresOf, patientInvitations, zeroFigures } from './figures';
import type { MonthlyAggregate } from './fold';

const A = '00000000-0000-4000-8000-0000000000a1';
const B = '00000000-0000-4000-8000-0000000000b2';
const GONE = '00000000-0000-4000-8000-0000000000c3';

type Row = Omit<MonthlyAggregate, 'orgId'>;
const row = (p: Partial<Row> & Pick<Row, 'month'>): Row => ({
  userId: A,
  kind: 'consultation',
  calls: 0,
  durationS: 0,
  participants: 0,
  invitationsSms: 0,
  invitationsEmail: 0,
  invitationsManual: 0,
  meetingInvitations: 0,
  ...p,
});

const ROWS: Row[] = [
  row({ month: '2026-01', calls: 2, durationS: 900, participants: 4, invitationsManual: 1 }),
  row({ month: '2026-01', kind: 'conference', calls: 1, durationS: 1200, participants: 5, meetingInvitations: 3 }),
  row({ month: '2026-02', userId: B, calls: 1, durationS: 301, participants: 2, invitationsEmail: 2, invitationsSms: 1 }),
  row({ month: '2026-02', userId: GONE, calls: 1, durationS: 60, participants: 2 }), // removed member
  row({ month: '2026-02', userId: null, invitationsSms: 4 }), // member deleted with the organisation's rows kept
  row({ month: '2025-12', calls: 9 }), // outside the range
];
const ACTIVE = [
  { id: A, name: 'dr.berg' },
  { id: B, name: 'mfa.lenz' },
  { id: '00000000-0000-4000-8000-0000000000d4', name: 'dr.idle' },
];
const MONTHS = ['2026-01', '2026-02', '2026-03'];

describe('figuresOf', () => {
  it.each([
    ['consultation', { consultations: 2, consultationSeconds: 900, conferences: 0, conferenceSeconds: 0, conferenceParticipants: 0 }],
    ['conference', { consultations: 0, consultationSeconds: 0, conferences: 2, conferenceSeconds: 900, conferenceParticipants: 4 }],
  ] as const)('%s: calls and durations by kind, invitations whatever the kind', (kind, calls) => {
    const f = figuresOf(row({ month: '2026-01', kind, calls: 2, durationS: 900, participants: 4, invitationsManual: 1, invitationsEmail: 2, invitationsSms: 3, meetingInvitations: 4 }));
    expect(f).toEqual({ ...calls, invitationsManual: 1, invitationsEmail: 2, invitationsSms: 3, conferenceInvitations: 4 });
  });
  it('averages in whole seconds, 0 without calls', () => {
    expect(averageSeconds(901, 2)).toBe(451);
    expect(averageSeconds(0, 0)).toBe(0);
    expect(patientInvitations({ ...zeroFigures(), invitationsManual: 1, invitationsEmail: 2, invitationsSms: 3, conferenceInvitations: 9 })).toBe(6);
  });
});

describe('buildFigures', () => {
  it('sums per month and member; removed members together as one former member; SMS per month', () => {
    const r = buildFigures({ months: MONTHS, rows: ROWS, active: ACTIVE, onlyMember: null, sms: { '2026-02': 5, '2025-12': 7 } });
    expect(r.months.map((m) => [m.month, m.figures.consultations, m.figures.conferences, m.figures.invitationsSms, m.sms])).toEqual([
      ['2026-01', 2, 1, 0, 0],
      ['2026-02', 2, 0, 5, 5],
      ['2026-03', 0, 0, 0, 0],
    ]);
    expect(r.total).toEqual({
      consultations: 4,
      consultationSeconds: 1261,
      conferences: 1,
      conferenceSeconds: 1200,
      conferenceParticipants: 5,
      conferenceInvitations: 3,
      invitationsManual: 1,
      invitationsEmail: 2,
      invitationsSms: 5,
    });
    expect(r.totalSms).toBe(5);
    expect(r.members.map((m) => [m.id === null ? 'former' : m.name, m.total.consultations, m.total.invitationsSms, m.months.map((x) => x.consultations)])).toEqual([
      ['dr.berg', 2, 0, [2, 0, 0]],
      ['mfa.lenz', 1, 1, [0, 1, 0]],
      ['dr.idle', 0, 0, [0, 0, 0]], // listed without a figure
      ['former', 1, 4, [0, 1, 0]],
    ]);
    // The members add up to the organisation.
    const sum = r.members.reduce((s, m) => s + m.total.consultationSeconds, 0);
    expect(sum).toBe(r.total.consultationSeconds);
  });

  it('one member only: their rows, their line, no SMS', () => {
    const r = buildFigures({ months: MONTHS, rows: ROWS, active: ACTIVE, onlyMember: B, sms: null });
    expect(r.total).toMatchObject({ consultations: 1, consultationSeconds: 301, invitationsEmail: 2, invitationsSms: 1, conferences: 0 });
    expect(r.members.map((m) => m.name)).toEqual(['mfa.lenz']);
    expect(r.months.every((m) => m.sms === null)).toBe(true);
    expect(r.totalSms).toBeNull();
  });

  it('a removed member picked by id is the former member', () => {
    const r = buildFigures({ months: MONTHS, rows: ROWS, active: ACTIVE, onlyMember: GONE, sms: null });
    expect(r.members).toMatchObject([{ id: null, name: null, total: { consultations: 1, consultationSeconds: 60 } }]);
  });

  it('nothing in the range: zeros for every month', () => {
    const r = buildFigures({ months: ['2027-01'], rows: ROWS, active: [], onlyMember: null, sms: {} });
    expect(r.months).toEqual([{ month: '2027-01', figures: zeroFigures(), sms: 0 }]);
    expect(r.members).toEqual([]);
  });
});
