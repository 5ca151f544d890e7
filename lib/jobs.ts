import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { jobLeases } from '@/lib/db/schema';
import { now } from '@/lib/core/clock';
import { runContractJobs, type JobReport } from '@/lib/contracts/service';
import { purgeCallEvents } from '@/lib/stats/service';
import { forgetExpiredCodes } from '@/lib/appointments/service';
import { forgetPatientContacts } from '@/lib/messaging/patient-contacts';
import { notifySmtpExpiry } from '@/lib/messaging/smtp-expiry';
import { purgeRetainedRecords } from '@/lib/contracts/service';
import { purgeCallParticipants } from '@/lib/video/calls';
import { purgeFinishedOutbox } from '@/lib/messaging/outbox';
import { purgeRateLimits } from '@/lib/server/rate-limit';
import { purgeExpiredInvitations } from '@/lib/members/service';
import { purgeExpiredStudies } from '@/lib/studies/service';
import { purgeConferences } from '@/lib/conferences/retention';
import { forgetOldWebhookEvents } from '@/lib/conferences/livekit';

// The scheduled jobs, in one list that the server (hourly, lib/boot.ts)
// and `npm run jobs` share. Each run is claimed with a lease in the database,
// so several instances on one PostgreSQL never run the same job at once; a
// holder that dies loses its lease when it runs out.

const LEASE_SECONDS = 15 * 60;

/**
 * Runs fn if this caller gets the job's lease; null when another holder has
 * it. The lease's times are the database's clock (shared by every instance),
 * not the app's movable one.
 */
export async function withJobLease<T>(db: Db, name: string, fn: () => Promise<T>, leaseSeconds = LEASE_SECONDS): Promise<T | null> {
  const holder = randomUUID();
  const until = sql`now() + make_interval(secs => ${leaseSeconds})`;
  const [claimed] = await db
    .insert(jobLeases)
    .values({ name, holder, until })
    .onConflictDoUpdate({ target: jobLeases.name, set: { holder, until }, setWhere: sql`${jobLeases.until} < now()` })
    .returning({ holder: jobLeases.holder });
  if (claimed?.holder !== holder) return null;
  try {
    return await fn();
  } finally {
    await db.update(jobLeases).set({ until: sql`now()` }).where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder)));
  }
}

export type ScheduledReport = {
  at: string;
  contracts: JobReport | 'skipped';
  callEvents: { deleted: number } | 'skipped';
  forgottenCodes: number | 'skipped';
  retention: Record<string, number> | 'skipped';
  smtpExpiryNotices: number | 'skipped';
};

/** Everything kept only for a while (docs/SECURITY.md §4): what went past its period, deleted. */
async function purgeRetention(db: Db, at: Date): Promise<Record<string, number>> {
  return {
    callParticipants: await purgeCallParticipants(db, at),
    outbox: await purgeFinishedOutbox(db, at),
    rateLimits: await purgeRateLimits(db, at),
    invitations: await purgeExpiredInvitations(db, at),
    retainedRecords: await purgeRetainedRecords(db, at),
    studies: await purgeExpiredStudies(db, at),
    conferences: await purgeConferences(db, at),
    livekitWebhookIds: await forgetOldWebhookEvents(db),
  };
}

/** Every scheduled job once, as of `at` (the app's clock), each under its lease. */
export async function runScheduledJobs(db: Db, at: Date = now()): Promise<ScheduledReport> {
  const contracts = await withJobLease(db, 'contracts', () => runContractJobs(db, at));
  const purge = await withJobLease(db, 'call-event-purge', () => purgeCallEvents(db, { now: at }));
  // Whom Konsil messaged about an appointment goes with its codes.
  const forgotten = await withJobLease(db, 'forget-codes', async () => {
    const n = await forgetExpiredCodes(db, at);
    await forgetPatientContacts(db);
    return n;
  });
  const retention = await withJobLease(db, 'retention', () => purgeRetention(db, at));
  const smtpExpiry = await withJobLease(db, 'smtp-expiry', () => notifySmtpExpiry(db));
  return {
    at: at.toISOString(),
    contracts: contracts ?? 'skipped',
    callEvents: purge ? { deleted: purge.deleted } : 'skipped',
    forgottenCodes: forgotten ?? 'skipped',
    retention: retention ?? 'skipped',
    smtpExpiryNotices: smtpExpiry ?? 'skipped',
  };
}
