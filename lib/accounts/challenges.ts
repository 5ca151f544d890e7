import 'server-only';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/db/client';
import { authChallenges } from '@/lib/db/schema';
import { randomToken } from '@/lib/server/hash';
import { now } from '@/lib/core/clock';
import { AppError } from '@/lib/core/errors';

const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export async function issueChallenge(db: DbOrTx, purpose: 'login' | 'recover' | 'device') {
  const nonce = randomToken(32);
  const [row] = await db
    .insert(authChallenges)
    .values({ nonce, purpose, expiresAt: new Date(now().getTime() + CHALLENGE_TTL_MS) })
    .returning({ id: authChallenges.id });
  return { challengeId: row.id, challenge: nonce };
}

/** Burns a challenge; a second use or an expired one is refused. */
export async function consumeChallenge(db: DbOrTx, id: string, purpose: 'login' | 'recover' | 'device'): Promise<string> {
  const [row] = await db
    .update(authChallenges)
    .set({ usedAt: now() })
    .where(
      and(
        eq(authChallenges.id, id),
        eq(authChallenges.purpose, purpose),
        isNull(authChallenges.usedAt),
        gt(authChallenges.expiresAt, now()),
      ),
    )
    .returning({ nonce: authChallenges.nonce });
  if (!row) throw new AppError('challenge_invalid');
  return row.nonce;
}

export async function purgeChallenges(db: DbOrTx): Promise<void> {
  await db.delete(authChallenges).where(lt(authChallenges.expiresAt, new Date(now().getTime() - CHALLENGE_TTL_MS)));
}
