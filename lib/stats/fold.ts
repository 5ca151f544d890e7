// Pure aggregation of call events into monthly rows (no server imports).
import { berlinMonth } from './months';

export const CALL_EVENT_TYPES = [
  'call_started',
  'call_ended',
  'invitation_sms',
  'invitation_email',
  'invitation_manual',
  'meeting_invitation',
] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

export const INVITATION_TYPES = ['invitation_sms', 'invitation_email', 'invitation_manual', 'meeting_invitation'] as const;
export type InvitationType = (typeof INVITATION_TYPES)[number];

export type CallKind = 'consultation' | 'conference';

/** The columns of a raw event that the statistics use. */
export type StatsEvent = {
  orgId: string;
  userId: string | null;
  type: CallEventType;
  kind: CallKind;
  participants: number | null;
  durationS: number | null;
  occurredAt: Date;
};

/** One row of call_stats_monthly, without its id. */
export type MonthlyAggregate = {
  orgId: string;
  userId: string | null;
  month: string; // YYYY-MM, Europe/Berlin
  kind: CallKind;
  calls: number;
  durationS: number;
  participants: number;
  invitationsSms: number;
  invitationsEmail: number;
  invitationsManual: number;
  meetingInvitations: number;
};

const COUNTERS = ['calls', 'durationS', 'participants', 'invitationsSms', 'invitationsEmail', 'invitationsManual', 'meetingInvitations'] as const;

const INVITATION_FIELD: Record<InvitationType, (typeof COUNTERS)[number]> = {
  invitation_sms: 'invitationsSms',
  invitation_email: 'invitationsEmail',
  invitation_manual: 'invitationsManual',
  meeting_invitation: 'meetingInvitations',
};

function keyOf(a: Pick<MonthlyAggregate, 'orgId' | 'userId' | 'month' | 'kind'>): string {
  return `${a.orgId}|${a.userId ?? ''}|${a.month}|${a.kind}`;
}

function emptyRow(k: Pick<MonthlyAggregate, 'orgId' | 'userId' | 'month' | 'kind'>): MonthlyAggregate {
  return {
    orgId: k.orgId,
    userId: k.userId,
    month: k.month,
    kind: k.kind,
    calls: 0,
    durationS: 0,
    participants: 0,
    invitationsSms: 0,
    invitationsEmail: 0,
    invitationsManual: 0,
    meetingInvitations: 0,
  };
}

/** Orders rows by month, then member (null last), then kind: a stable order for upserts and display. */
export function compareAggregates(a: MonthlyAggregate, b: MonthlyAggregate): number {
  if (a.orgId !== b.orgId) return a.orgId < b.orgId ? -1 : 1;
  if (a.month !== b.month) return a.month < b.month ? -1 : 1;
  if (a.userId !== b.userId) {
    if (a.userId === null) return 1;
    if (b.userId === null) return -1;
    return a.userId < b.userId ? -1 : 1;
  }
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return 0;
}

/** Sums rows with the same (org, member, month, kind); the result is sorted by `compareAggregates`. */
export function mergeAggregates(rows: Iterable<MonthlyAggregate>): MonthlyAggregate[] {
  const byKey = new Map<string, MonthlyAggregate>();
  for (const r of rows) {
    const k = keyOf(r);
    let acc = byKey.get(k);
    if (!acc) byKey.set(k, (acc = emptyRow(r)));
    for (const c of COUNTERS) acc[c] += r[c];
  }
  return [...byKey.values()].sort(compareAggregates);
}

/**
 * Folds raw events into monthly rows per (org, member, Berlin month, kind):
 * `calls` counts call_ended events, `durationS` and `participants` sum theirs,
 * each invitation type is counted in its own column. call_started events only
 * serve to compute the duration and count for nothing here.
 */
export function foldEvents(events: Iterable<StatsEvent>): MonthlyAggregate[] {
  const rows: MonthlyAggregate[] = [];
  for (const e of events) {
    if (e.type === 'call_started') continue;
    const row = emptyRow({ orgId: e.orgId, userId: e.userId, month: berlinMonth(e.occurredAt), kind: e.kind });
    if (e.type === 'call_ended') {
      row.calls = 1;
      row.durationS = Math.max(0, e.durationS ?? 0);
      row.participants = Math.max(0, e.participants ?? 0);
    } else {
      row[INVITATION_FIELD[e.type]] = 1;
    }
    rows.push(row);
  }
  return mergeAggregates(rows);
}

/** Whole seconds from `start` to `end`, rounded down, never negative. */
export function durationSeconds(start: Date, end: Date): number {
  return Math.max(0, Math.floor((end.getTime() - start.getTime()) / 1000));
}
