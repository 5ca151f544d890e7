import 'server-only';
import { and, asc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db/client';
import { callEvents, callStatsMonthly } from '@/lib/db/schema';
import { now } from '@/lib/core/clock';
import { AppError } from '@/lib/core/errors';
import { isMonth } from '@/lib/time/calendar';
import { durationSeconds, foldEvents, type CallKind, type InvitationType, type MonthlyAggregate } from './fold';
import { combineMonthly } from './merge';
import { retentionCutoff, utcWindowForMonths } from './months';

// Call and invitation events for the statistics. They carry ids, counts,
// durations and times only — never anything about a patient. Raw events are
// kept at most three months (KBV Anlage 31b) and then folded into
// call_stats_monthly by purgeCallEvents (docs/SECURITY.md, docs/ARCHITECTURE.md).

export type CallEventInput = {
  orgId: string;
  /** The member the call is counted for; null once the member is removed. */
  userId: string | null;
  callId: string;
  kind?: CallKind;
  participants: number;
  /** When it happened; default: the clock's now(). */
  at?: Date;
};

export type InvitationEventInput = {
  orgId: string;
  userId: string | null;
  type: InvitationType;
  /** Default: 'conference' for meeting_invitation, 'consultation' otherwise. */
  kind?: CallKind;
  at?: Date;
};

function checkParticipants(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('participants must be a non-negative integer');
  return n;
}

/** Records the start of a call. Idempotent per call: returns false if it was already recorded. */
export async function recordCallStarted(db: DbOrTx, input: CallEventInput): Promise<boolean> {
  const rows = await db
    .insert(callEvents)
    .values({
      orgId: input.orgId,
      userId: input.userId,
      callId: input.callId,
      type: 'call_started',
      kind: input.kind ?? 'consultation',
      participants: checkParticipants(input.participants),
      occurredAt: input.at ?? now(),
    })
    .onConflictDoNothing({ target: [callEvents.callId, callEvents.type] })
    .returning({ id: callEvents.id });
  return rows.length > 0;
}

/**
 * Records the end of a call, with its duration in whole seconds since the
 * call_started event of the same call (0 if there is none). Idempotent per
 * call: returns false, and changes nothing, if the end was already recorded.
 */
export async function recordCallEnded(db: DbOrTx, input: CallEventInput): Promise<boolean> {
  const at = input.at ?? now();
  const [started] = await db
    .select({ occurredAt: callEvents.occurredAt })
    .from(callEvents)
    .where(and(eq(callEvents.callId, input.callId), eq(callEvents.type, 'call_started'), eq(callEvents.orgId, input.orgId)))
    .limit(1);
  const rows = await db
    .insert(callEvents)
    .values({
      orgId: input.orgId,
      userId: input.userId,
      callId: input.callId,
      type: 'call_ended',
      kind: input.kind ?? 'consultation',
      participants: checkParticipants(input.participants),
      durationS: started ? durationSeconds(started.occurredAt, at) : 0,
      occurredAt: at,
    })
    .onConflictDoNothing({ target: [callEvents.callId, callEvents.type] })
    .returning({ id: callEvents.id });
  return rows.length > 0;
}

/** Records one invitation sent (SMS, e-mail, link handed over by hand) or one meeting invitation. */
export async function recordInvitation(db: DbOrTx, input: InvitationEventInput): Promise<void> {
  await db.insert(callEvents).values({
    orgId: input.orgId,
    userId: input.userId,
    callId: null,
    type: input.type,
    kind: input.kind ?? (input.type === 'meeting_invitation' ? 'conference' : 'consultation'),
    occurredAt: input.at ?? now(),
  });
}

// ---------------------------------------------------------------------------
// Retention: fold old raw events into monthly aggregates
// ---------------------------------------------------------------------------

/** Advisory lock key serialising purges across instances (727274 is the migration lock). */
const PURGE_LOCK_KEY = 727275;
const DEFAULT_BATCH = 2000;

export type PurgeResult = {
  /** Events with occurred_at before this instant were purged. */
  cutoff: Date;
  /** Raw events folded and deleted. */
  deleted: number;
  /** Additive upserts into call_stats_monthly (one per month, member and kind per batch). */
  upserted: number;
};

async function upsertAggregates(tx: DbOrTx, rows: MonthlyAggregate[]): Promise<void> {
  // Sorted (mergeAggregates) so concurrent writers lock rows in the same order.
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insert(callStatsMonthly)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [callStatsMonthly.orgId, callStatsMonthly.userId, callStatsMonthly.month, callStatsMonthly.kind],
        set: {
          calls: sql`${callStatsMonthly.calls} + excluded.calls`,
          durationS: sql`${callStatsMonthly.durationS} + excluded.duration_s`,
          participants: sql`${callStatsMonthly.participants} + excluded.participants`,
          invitationsSms: sql`${callStatsMonthly.invitationsSms} + excluded.invitations_sms`,
          invitationsEmail: sql`${callStatsMonthly.invitationsEmail} + excluded.invitations_email`,
          invitationsManual: sql`${callStatsMonthly.invitationsManual} + excluded.invitations_manual`,
          meetingInvitations: sql`${callStatsMonthly.meetingInvitations} + excluded.meeting_invitations`,
        },
      });
  }
}

/**
 * Folds every raw event older than now minus three calendar months
 * (`occurred_at < retentionCutoff(now)`, lib/stats/months.ts) into
 * call_stats_monthly and deletes it.
 *
 * Works in batches; each batch adds its counts and deletes exactly the events it
 * counted in one transaction, so an event is counted once or not yet, never
 * twice, whatever fails. Several purges may run at once (instances, or the
 * interval overlapping a slow run): each batch holds a transaction-scoped
 * advisory lock, and rows are claimed with FOR UPDATE SKIP LOCKED, so no row
 * is folded by two of them. Running it again with nothing old left changes nothing.
 */
export async function purgeCallEvents(db: Db, opts: { now?: Date; batchSize?: number } = {}): Promise<PurgeResult> {
  const cutoff = retentionCutoff(opts.now ?? now());
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH));
  let deleted = 0;
  let upserted = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${PURGE_LOCK_KEY})`);
      const rows = await tx
        .select({
          id: callEvents.id,
          orgId: callEvents.orgId,
          userId: callEvents.userId,
          type: callEvents.type,
          kind: callEvents.kind,
          participants: callEvents.participants,
          durationS: callEvents.durationS,
          occurredAt: callEvents.occurredAt,
        })
        .from(callEvents)
        .where(lt(callEvents.occurredAt, cutoff))
        .orderBy(asc(callEvents.occurredAt), asc(callEvents.id))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return { deleted: 0, upserted: 0 };
      const aggregates = foldEvents(rows);
      await upsertAggregates(tx, aggregates);
      const gone = await tx
        .delete(callEvents)
        .where(inArray(callEvents.id, rows.map((r) => r.id)))
        .returning({ id: callEvents.id });
      // Every row was locked by this transaction, so all of them must be gone.
      if (gone.length !== rows.length) throw new Error('call event purge: locked rows vanished');
      return { deleted: gone.length, upserted: aggregates.length };
    });
    deleted += batch.deleted;
    upserted += batch.upserted;
    if (batch.deleted < batchSize) break;
  }
  if (deleted > 0) console.log(`[stats] purged ${deleted} call events into ${upserted} monthly upserts`);
  return { cutoff, deleted, upserted };
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

export type MonthlyStatsRow = Omit<MonthlyAggregate, 'orgId'>;

/**
 * Statistics of one organisation per Berlin month, member and kind, for the
 * months `from`..`to` ('YYYY-MM', both inclusive): the folded aggregates plus
 * the raw events not folded yet. Every event is in exactly one of the two
 * tables, and both are read in one snapshot, so nothing is counted twice even
 * while a purge runs. Sorted by month, member (removed members, null, last), kind.
 */
export async function monthlyStats(db: Db, orgId: string, period: { from: string; to: string }): Promise<MonthlyStatsRow[]> {
  const { from, to } = period;
  if (!isMonth(from) || !isMonth(to) || from > to) throw new AppError('bad_request', { detail: 'month range' });
  const window = utcWindowForMonths(from, to);
  const { aggregates, raw } = await db.transaction(
    async (tx) => {
      const aggregates = await tx
        .select({
          orgId: callStatsMonthly.orgId,
          userId: callStatsMonthly.userId,
          month: callStatsMonthly.month,
          kind: callStatsMonthly.kind,
          calls: callStatsMonthly.calls,
          durationS: callStatsMonthly.durationS,
          participants: callStatsMonthly.participants,
          invitationsSms: callStatsMonthly.invitationsSms,
          invitationsEmail: callStatsMonthly.invitationsEmail,
          invitationsManual: callStatsMonthly.invitationsManual,
          meetingInvitations: callStatsMonthly.meetingInvitations,
        })
        .from(callStatsMonthly)
        .where(and(eq(callStatsMonthly.orgId, orgId), gte(callStatsMonthly.month, from), sql`${callStatsMonthly.month} <= ${to}`));
      const raw = await tx
        .select({
          orgId: callEvents.orgId,
          userId: callEvents.userId,
          type: callEvents.type,
          kind: callEvents.kind,
          participants: callEvents.participants,
          durationS: callEvents.durationS,
          occurredAt: callEvents.occurredAt,
        })
        .from(callEvents)
        .where(
          and(
            eq(callEvents.orgId, orgId),
            ne(callEvents.type, 'call_started'),
            gte(callEvents.occurredAt, window.start),
            lt(callEvents.occurredAt, window.end),
          ),
        );
      return { aggregates, raw };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  return combineMonthly(
    aggregates.map((a) => ({ ...a, durationS: Number(a.durationS) })),
    raw,
    period,
  ).map(({ orgId: _orgId, ...row }) => row);
}
