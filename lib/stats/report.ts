import 'server-only';
import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { smsUsage, users } from '@/lib/db/schema';
import { now } from '@/lib/core/clock';
import { AppError } from '@/lib/core/errors';
import { isAdmin, type SessionContext } from '@/lib/auth/sessions';
import { monthsBetween } from '@/lib/time/calendar';
import { buildFigures, type Figures, type MemberFigures, type MonthFigures } from './figures';
import { berlinMonth, retentionCutoff } from './months';
import { resolveRange } from './range';
import { ZStatsRange, type TStatsQuery } from './schemas';
import { monthlyStats } from './service';

// The statistics page: calls, conferences and invitations per month and member
// for a month range, from the events Konsil records (lib/stats/service.ts) —
// counts and durations only, nothing about a patient. Admins see the whole
// organisation and every member; a member sees their own figures only.

export type StatsReport = {
  from: string;
  to: string;
  /** The member the figures are limited to (a member's own id for members), or null: the whole organisation. */
  memberId: string | null;
  /** The viewer may see the organisation and pick members. */
  organisationView: boolean;
  /** Members the filter offers (current members; empty for members). */
  memberOptions: { id: string; name: string }[];
  months: MonthFigures[];
  total: Figures;
  /** SMS the organisation sent in the range; null for members and with a member filter (SMS belong to no member). */
  totalSms: number | null;
  members: MemberFigures[];
  /**
   * Raw events are kept three months; before this month only the monthly sums
   * exist (which is all the page shows anyway).
   */
  detailSince: string;
};

/** The months asked for, checked: field errors with their own messages (stats.validation.*). */
export function checkedRange(query: TStatsQuery, at: Date = now()): { from: string; to: string } {
  const range = resolveRange(query, berlinMonth(at));
  const parsed = ZStatsRange.safeParse({ ...query, ...range });
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.')] ??= issue.message;
    throw new AppError('validation', { fields });
  }
  return range;
}

async function membersOf(db: Db, orgId: string) {
  const rows = await db
    .select({ id: users.id, name: users.shortName, status: users.status })
    .from(users)
    .where(and(eq(users.orgId, orgId), inArray(users.status, ['active', 'removed'])));
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'de'));
}

async function smsByMonth(db: Db, orgId: string, from: string, to: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ month: smsUsage.month, count: smsUsage.count })
    .from(smsUsage)
    .where(and(eq(smsUsage.orgId, orgId), gte(smsUsage.month, from), lte(smsUsage.month, to)));
  return Object.fromEntries(rows.map((r) => [r.month, r.count]));
}

/**
 * The report for the session's organisation. Admins may limit it to one member
 * of theirs (another id: not_found); for a member it is always their own
 * figures, whatever the query names, and without the organisation's SMS.
 */
export async function statsReport(db: Db, session: SessionContext, query: TStatsQuery): Promise<StatsReport> {
  const at = now();
  const { from, to } = checkedRange(query, at);
  const admin = isAdmin(session);
  const all = await membersOf(db, session.orgId);
  let memberId: string | null;
  if (!admin) memberId = session.userId;
  else if (query.member) {
    if (!all.some((m) => m.id === query.member)) throw new AppError('not_found');
    memberId = query.member;
  } else memberId = null;

  const active = all.filter((m) => m.status === 'active').map(({ id, name }) => ({ id, name }));
  const rows = await monthlyStats(db, session.orgId, { from, to });
  const sms = admin && memberId === null ? await smsByMonth(db, session.orgId, from, to) : null;
  const built = buildFigures({ months: monthsBetween(from, to), rows, active, onlyMember: memberId, sms });
  return {
    from,
    to,
    memberId,
    organisationView: admin,
    memberOptions: admin ? active : [],
    ...built,
    detailSince: berlinMonth(retentionCutoff(at)),
  };
}
