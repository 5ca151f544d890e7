import 'server-only';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { rateLimits } from '@/lib/db/schema';
import { AppError } from '@/lib/core/errors';
import { now } from '@/lib/core/clock';

export type Policy = { max: number; windowSeconds: number; lockSeconds: number; code?: 'locked' | 'rate_limited' };

export const POLICIES = {
  loginAccount: { max: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60, code: 'locked' },
  loginClient: { max: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60, code: 'locked' },
  preAuthClient: { max: 300, windowSeconds: 10 * 60, lockSeconds: 5 * 60, code: 'rate_limited' },
  registerClient: { max: 30, windowSeconds: 60 * 60, lockSeconds: 30 * 60, code: 'rate_limited' },
  invitationClient: { max: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60, code: 'rate_limited' },
  // Unknown access codes per client: a guesser gets 20 tries per quarter hour.
  joinClient: { max: 20, windowSeconds: 15 * 60, lockSeconds: 15 * 60, code: 'rate_limited' },
  // Calls a member starts to colleagues: enough for a busy day, not for ringing someone's tabs on end.
  colleagueCall: { max: 20, windowSeconds: 10 * 60, lockSeconds: 10 * 60, code: 'rate_limited' },
} satisfies Record<string, Policy>;

/** Refuses while the key is locked out. */
export async function assertNotLimited(db: DbOrTx, key: string, policy: Policy): Promise<void> {
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key));
  const t = now();
  if (row?.lockedUntil && row.lockedUntil > t) {
    throw new AppError(policy.code ?? 'locked', {
      retryAfterSeconds: Math.max(1, Math.ceil((row.lockedUntil.getTime() - t.getTime()) / 1000)),
    });
  }
}

/** Counts one event against the key; locks it once the window's budget is spent. */
export async function countEvent(db: DbOrTx, key: string, policy: Policy): Promise<void> {
  const t = now();
  const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const floor = ts(new Date(t.getTime() - policy.windowSeconds * 1000));
  const lockUntil = new Date(t.getTime() + policy.lockSeconds * 1000);
  const lock = ts(lockUntil);
  const fresh = ts(t);
  await db
    .insert(rateLimits)
    .values({ key, failures: 1, windowStart: t, lockedUntil: policy.max <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        failures: sql`case when ${rateLimits.windowStart} < ${floor} then 1 else ${rateLimits.failures} + 1 end`,
        windowStart: sql`case when ${rateLimits.windowStart} < ${floor} then ${fresh} else ${rateLimits.windowStart} end`,
        lockedUntil: sql`case when (case when ${rateLimits.windowStart} < ${floor} then 1 else ${rateLimits.failures} + 1 end) >= ${policy.max} then ${lock} else ${rateLimits.lockedUntil} end`,
      },
    });
}

/**
 * Takes one attempt from the key's budget before the work it guards, atomically:
 * the row is locked while it is read and counted, so parallel requests cannot
 * all pass a check made before any of them was counted. Refuses while the key
 * is locked; the attempt that spends the window's budget sets the lock. An attempt that turns
 * out well can be given back with `refundAttempt` (or the key reset).
 */
export async function takeAttempt(db: DbOrTx, key: string, policy: Policy): Promise<void> {
  await db.transaction(async (tx) => {
    const t = now();
    await tx.insert(rateLimits).values({ key, failures: 0, windowStart: t }).onConflictDoNothing();
    const [row] = await tx.select().from(rateLimits).where(eq(rateLimits.key, key)).for('update');
    if (!row) throw new Error('rate limit row vanished');
    const refuse = (until: Date) => {
      throw new AppError(policy.code ?? 'locked', { retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - t.getTime()) / 1000)) });
    };
    if (row.lockedUntil && row.lockedUntil > t) refuse(row.lockedUntil);
    const expired = row.windowStart.getTime() < t.getTime() - policy.windowSeconds * 1000;
    const used = expired ? 0 : row.failures;
    const failures = used + 1;
    await tx
      .update(rateLimits)
      .set({
        failures,
        windowStart: expired ? t : row.windowStart,
        lockedUntil: failures >= policy.max ? new Date(t.getTime() + policy.lockSeconds * 1000) : row.lockedUntil,
      })
      .where(eq(rateLimits.key, key));
  });
}

/** Gives back an attempt taken with `takeAttempt` that succeeded (it was no failure). */
export async function refundAttempt(db: DbOrTx, key: string): Promise<void> {
  await db
    .update(rateLimits)
    // The attempt given back may be the one that set the lock: below the budget again, no lock.
    .set({ failures: sql`greatest(${rateLimits.failures} - 1, 0)`, lockedUntil: null })
    .where(eq(rateLimits.key, key));
}

/** For requests that are limited by volume, not by failure. */
export async function consume(db: DbOrTx, key: string, policy: Policy): Promise<void> {
  await takeAttempt(db, key, policy);
}

export async function resetLimit(db: DbOrTx, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Counters whose window and lock are long over (a day): they decide nothing any more. */
export async function purgeRateLimits(db: DbOrTx, at: Date = now()): Promise<number> {
  const dayAgo = new Date(at.getTime() - 86400_000);
  const rows = await db
    .delete(rateLimits)
    .where(and(lt(rateLimits.windowStart, dayAgo), or(isNull(rateLimits.lockedUntil), lt(rateLimits.lockedUntil, dayAgo))))
    .returning({ key: rateLimits.key });
  return rows.length;
}
