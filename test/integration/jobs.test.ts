// Scheduled jobs under leases (lib/jobs.ts): two instances on one database
// never run a job at once; every invoice is written once and every deletion
// done; a dead holder's lease runs out.
import { BACKENDS, registerWithSession, resetClock, type Opened } from './helpers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { invoices, jobLeases, organisations, planPeriods, users } from '@/lib/db/schema';
import { setClock } from '@/lib/core/clock';
import { cancelContract, upgradeToPlus } from '@/lib/contracts/service';
import { runScheduledJobs, withJobLease } from '@/lib/jobs';

const SEPA = { accountHolder: 'Praxis Dr. Lease', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', sepaMandate: true };

describe.each(BACKENDS)('scheduled jobs on %s', (backend, open) => {
  let one: Opened;
  let two: Opened;
  let db: Db;

  beforeAll(async () => {
    one = await open();
    // A second instance: its own connection pool on PostgreSQL (PGlite is one process, so the same database).
    two = backend === 'postgres' ? await open() : one;
    db = one.db;
  });
  afterEach(() => resetClock());
  afterAll(async () => {
    if (two !== one) await two?.close();
    await one?.close();
  });

  it('a held lease keeps a second holder out; it is free again after the run, and when it runs out', async () => {
    const name = `test-${crypto.randomUUID()}`;
    let release!: () => void;
    const first = withJobLease(db, name, () => new Promise<string>((r) => (release = () => r('first'))));
    await new Promise((r) => setTimeout(r, 50));
    expect(await withJobLease(two.db, name, async () => 'second')).toBeNull();
    release();
    expect(await first).toBe('first');
    expect(await withJobLease(two.db, name, async () => 'after')).toBe('after');
    // A holder that died: its lease is in the past once its time is up.
    await db.update(jobLeases).set({ holder: 'dead', until: sql`now() + interval '1 hour'` }).where(eq(jobLeases.name, name));
    expect(await withJobLease(db, name, async () => 'blocked')).toBeNull();
    await db.update(jobLeases).set({ until: sql`now() - interval '1 second'` }).where(eq(jobLeases.name, name));
    expect(await withJobLease(db, name, async () => 'taken over')).toBe('taken over');
  });

  it('two instances at once: one invoice per organisation and month, the ended organisation deleted, no error', async () => {
    // One organisation whose contract has ended, and a plus organisation with last month to bill.
    const ending = await registerWithSession(db);
    const { endsOn } = await cancelContract(db, ending.session);
    // The first of the month after the contract's end (06:00 UTC): both jobs have work.
    const [y, m] = endsOn.split('-').map(Number) as [number, number];
    const billedMonth = `${y}-${String(m).padStart(2, '0')}`;
    const at = new Date(Date.UTC(m === 12 ? y + 1 : y, m % 12, 1, 6));
    const billed = await registerWithSession(db);
    const long = new Date(Date.UTC(y, m - 3, 1));
    await db.update(users).set({ createdAt: long }).where(eq(users.orgId, billed.account.orgId));
    await db.update(planPeriods).set({ fromAt: long }).where(eq(planPeriods.orgId, billed.account.orgId));
    setClock({ fixed: new Date(Date.UTC(y, m - 1, 10, 9)) });
    await upgradeToPlus(db, billed.session, SEPA);
    resetClock();
    const results = await Promise.allSettled([runScheduledJobs(db, at), runScheduledJobs(two.db, at), runScheduledJobs(db, at)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const rows = await db.select({ month: invoices.month }).from(invoices).where(eq(invoices.orgId, billed.account.orgId));
    expect(rows.map((r) => r.month)).toEqual([billedMonth]);
    expect(await db.select().from(organisations).where(eq(organisations.id, ending.account.orgId))).toHaveLength(0);
    // Running again later changes nothing.
    await runScheduledJobs(two.db, new Date(at.getTime() + 3600_000));
    expect(await db.select().from(invoices).where(and(eq(invoices.orgId, billed.account.orgId)))).toHaveLength(rows.length);
  });
});
