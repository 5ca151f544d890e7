// The database-backed rate limiter (lib/server/rate-limit.ts) on PostgreSQL and PGlite.
import { BACKENDS, expectAppError, resetClock, short } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { rateLimits } from '@/lib/db/schema';
import { assertNotLimited, consume, countEvent, resetLimit, type Policy } from '@/lib/server/rate-limit';
import { setClock } from '@/lib/core/clock';

const POLICY: Policy = { max: 3, windowSeconds: 60, lockSeconds: 120, code: 'rate_limited' };

/** Pins the clock; returns a setter relative to the start. */
function pinnedClock() {
  const start = Date.now();
  setClock({ fixed: new Date(start) });
  return { start, after: (ms: number) => setClock({ fixed: new Date(start + ms) }) };
}

describe.each(BACKENDS)('rate limiter on %s', (_backend, open) => {
  let db: Db;
  let close: () => Promise<void>;
  const key = () => short('rl');
  const rowOf = async (k: string) => (await db.select().from(rateLimits).where(eq(rateLimits.key, k)))[0];

  beforeAll(async () => {
    ({ db, close } = await open());
  });
  afterAll(async () => {
    await close?.();
  });
  afterEach(() => resetClock());

  it('consume allows max requests per window, then refuses with a retry time', async () => {
    const clock = pinnedClock();
    const k = key();
    for (let i = 0; i < POLICY.max; i++) await consume(db, k, POLICY);
    const r = await rowOf(k);
    expect(r.failures).toBe(3);
    expect(r.windowStart).toEqual(new Date(clock.start));
    expect(r.lockedUntil).toEqual(new Date(clock.start + POLICY.lockSeconds * 1000));

    const e = await expectAppError(consume(db, k, POLICY), 'rate_limited');
    expect(e.retryAfterSeconds).toBe(POLICY.lockSeconds);
    // Refused requests are not counted.
    expect((await rowOf(k)).failures).toBe(3);

    clock.after(50_000);
    const e2 = await expectAppError(assertNotLimited(db, k, POLICY), 'rate_limited');
    expect(e2.retryAfterSeconds).toBe(POLICY.lockSeconds - 50);
    clock.after(POLICY.lockSeconds * 1000 - 200);
    expect((await expectAppError(assertNotLimited(db, k, POLICY), 'rate_limited')).retryAfterSeconds).toBe(1);

    // Lock over and window over: a fresh budget.
    clock.after(POLICY.lockSeconds * 1000);
    await assertNotLimited(db, k, POLICY);
    await consume(db, k, POLICY);
    expect(await rowOf(k)).toMatchObject({ failures: 1, windowStart: new Date(clock.start + POLICY.lockSeconds * 1000) });
  });

  it('uses "locked" when the policy names no code', async () => {
    pinnedClock();
    const k = key();
    const p: Policy = { max: 2, windowSeconds: 60, lockSeconds: 60 };
    await countEvent(db, k, p);
    await assertNotLimited(db, k, p);
    await countEvent(db, k, p);
    const e = await expectAppError(assertNotLimited(db, k, p), 'locked');
    expect(e.retryAfterSeconds).toBe(60);
  });

  it('a policy with max 1 locks on the first event', async () => {
    pinnedClock();
    const k = key();
    await countEvent(db, k, { ...POLICY, max: 1 });
    await expectAppError(assertNotLimited(db, k, POLICY), 'rate_limited');
  });

  it('counts events in a fixed window that starts over once it has passed', async () => {
    const clock = pinnedClock();
    const k = key();
    await countEvent(db, k, POLICY);
    clock.after(30_000);
    await countEvent(db, k, POLICY);
    expect(await rowOf(k)).toMatchObject({ failures: 2, lockedUntil: null });

    // The window (60 s from the first event) has passed: the count starts at 1 again.
    clock.after(61_000);
    await countEvent(db, k, POLICY);
    expect(await rowOf(k)).toMatchObject({ failures: 1, windowStart: new Date(clock.start + 61_000), lockedUntil: null });
    clock.after(62_000);
    await countEvent(db, k, POLICY);
    await assertNotLimited(db, k, POLICY);
    // Third event within the new window locks.
    await countEvent(db, k, POLICY);
    await expectAppError(assertNotLimited(db, k, POLICY), 'rate_limited');
  });

  it('events within the window add up and lock', async () => {
    const clock = pinnedClock();
    const k = key();
    await countEvent(db, k, POLICY);
    clock.after(59_000);
    await countEvent(db, k, POLICY);
    await countEvent(db, k, POLICY);
    const e = await expectAppError(assertNotLimited(db, k, POLICY), 'rate_limited');
    expect(e.retryAfterSeconds).toBe(POLICY.lockSeconds);
  });

  it('a lock shorter than the window lets one request through and locks again until the window is over', async () => {
    const clock = pinnedClock();
    const k = key();
    const p: Policy = { max: 3, windowSeconds: 600, lockSeconds: 60, code: 'rate_limited' };
    for (let i = 0; i < 3; i++) await consume(db, k, p);
    await expectAppError(consume(db, k, p), 'rate_limited');
    clock.after(61_000);
    await consume(db, k, p);
    await expectAppError(consume(db, k, p), 'rate_limited');
    clock.after(601_000 + 60_000);
    await consume(db, k, p);
    expect((await rowOf(k)).failures).toBe(1);
  });

  it('resetLimit clears a key, and keys are independent', async () => {
    pinnedClock();
    const k1 = key();
    const k2 = key();
    for (let i = 0; i < 3; i++) await countEvent(db, k1, POLICY);
    await countEvent(db, k2, POLICY);
    await expectAppError(assertNotLimited(db, k1, POLICY), 'rate_limited');
    await assertNotLimited(db, k2, POLICY);
    await assertNotLimited(db, key(), POLICY);

    await resetLimit(db, k1);
    expect(await rowOf(k1)).toBeUndefined();
    await assertNotLimited(db, k1, POLICY);
    await consume(db, k1, POLICY);
    expect((await rowOf(k1)).failures).toBe(1);
    expect((await rowOf(k2)).failures).toBe(1);
    await resetLimit(db, key());
  });

  it('counts concurrent events exactly (atomic upsert)', async () => {
    pinnedClock();
    const k = key();
    const p: Policy = { max: 1000, windowSeconds: 60, lockSeconds: 60 };
    await Promise.all(Array.from({ length: 20 }, () => countEvent(db, k, p)));
    expect((await rowOf(k)).failures).toBe(20);
  });
});
