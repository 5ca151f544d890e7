// The statistics page's figures from monthly rows (pure, no server imports; tests beside it).
import type { MonthlyAggregate } from './fold';

/** What the page counts for a month, a member or a whole range. */
export type Figures = {
  consultations: number;
  consultationSeconds: number;
  conferences: number;
  conferenceSeconds: number;
  /** Everyone in the conferences, summed over them. */
  conferenceParticipants: number;
  /** Invitations to conferences (meeting_invitation). */
  conferenceInvitations: number;
  /** Patient invitations by channel: the practice's own e-mail (text handed over), Konsil's e-mail, Konsil's SMS. */
  invitationsManual: number;
  invitationsEmail: number;
  invitationsSms: number;
};

export const FIGURE_KEYS = [
  'consultations',
  'consultationSeconds',
  'conferences',
  'conferenceSeconds',
  'conferenceParticipants',
  'conferenceInvitations',
  'invitationsManual',
  'invitationsEmail',
  'invitationsSms',
] as const satisfies readonly (keyof Figures)[];

export const zeroFigures = (): Figures => ({
  consultations: 0,
  consultationSeconds: 0,
  conferences: 0,
  conferenceSeconds: 0,
  conferenceParticipants: 0,
  conferenceInvitations: 0,
  invitationsManual: 0,
  invitationsEmail: 0,
  invitationsSms: 0,
});

export function addFigures(into: Figures, more: Figures): Figures {
  for (const k of FIGURE_KEYS) into[k] += more[k];
  return into;
}

/** One monthly row (either kind) as figures: calls and durations by kind, invitations whatever the kind. */
export function figuresOf(row: Pick<MonthlyAggregate, 'kind' | 'calls' | 'durationS' | 'participants' | 'invitationsSms' | 'invitationsEmail' | 'invitationsManual' | 'meetingInvitations'>): Figures {
  const f = zeroFigures();
  if (row.kind === 'conference') {
    f.conferences = row.calls;
    f.conferenceSeconds = row.durationS;
    f.conferenceParticipants = row.participants;
  } else {
    f.consultations = row.calls;
    f.consultationSeconds = row.durationS;
  }
  f.conferenceInvitations = row.meetingInvitations;
  f.invitationsManual = row.invitationsManual;
  f.invitationsEmail = row.invitationsEmail;
  f.invitationsSms = row.invitationsSms;
  return f;
}

/** Average length in whole seconds (0 without calls). */
export const averageSeconds = (seconds: number, calls: number): number => (calls > 0 ? Math.round(seconds / calls) : 0);

export const patientInvitations = (f: Figures): number => f.invitationsManual + f.invitationsEmail + f.invitationsSms;

export type MemberFigures = {
  /** null: former members together ("Ehemaliges Mitglied"). */
  id: string | null;
  name: string | null;
  total: Figures;
  /** In the order of the report's months. */
  months: Figures[];
};

export type MonthFigures = {
  month: string;
  figures: Figures;
  /** SMS the organisation sent (sms_usage); null where it is not shown (members, a member filter). */
  sms: number | null;
};

/**
 * Sums the rows per month and per member over `months`. `active` are the
 * organisation's current members, listed even without a figure (in the given
 * order); any other member id, and rows without one, count as former members.
 * `onlyMember` keeps the rows of that member alone. `sms` per month, or null
 * where SMS are not shown.
 */
export function buildFigures(input: {
  months: string[];
  rows: Iterable<Pick<MonthlyAggregate, 'userId' | 'month' | 'kind' | 'calls' | 'durationS' | 'participants' | 'invitationsSms' | 'invitationsEmail' | 'invitationsManual' | 'meetingInvitations'>>;
  active: { id: string; name: string }[];
  onlyMember: string | null;
  sms: Record<string, number> | null;
}): { months: MonthFigures[]; total: Figures; totalSms: number | null; members: MemberFigures[] } {
  const { months, active, onlyMember } = input;
  const monthIndex = new Map(months.map((m, i) => [m, i]));
  const activeIds = new Set(active.map((m) => m.id));
  const perMonth = months.map(() => zeroFigures());
  const members = new Map<string, MemberFigures>();
  const memberOf = (key: string, id: string | null, name: string | null) => {
    let m = members.get(key);
    if (!m) members.set(key, (m = { id, name, total: zeroFigures(), months: months.map(() => zeroFigures()) }));
    return m;
  };
  for (const a of active) if (onlyMember === null || a.id === onlyMember) memberOf(a.id, a.id, a.name);

  for (const row of input.rows) {
    const i = monthIndex.get(row.month);
    if (i === undefined) continue;
    if (onlyMember !== null && row.userId !== onlyMember) continue;
    const f = figuresOf(row);
    addFigures(perMonth[i]!, f);
    const isActive = row.userId !== null && activeIds.has(row.userId);
    const m = isActive ? memberOf(row.userId!, row.userId, null) : memberOf('', null, null);
    addFigures(m.months[i]!, f);
    addFigures(m.total, f);
  }
  const total = perMonth.reduce((acc, f) => addFigures(acc, f), zeroFigures());
  const sms = input.sms;
  return {
    months: months.map((month, i) => ({ month, figures: perMonth[i]!, sms: sms ? (sms[month] ?? 0) : null })),
    total,
    totalSms: sms ? months.reduce((s, m) => s + (sms[m] ?? 0), 0) : null,
    // Current members in the given order, former members last.
    members: [...members.values()].sort((x, y) => (x.id === null ? 1 : y.id === null ? -1 : 0)),
  };
}
