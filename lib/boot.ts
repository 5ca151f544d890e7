import { getConfig } from '@/lib/core/config';
import { getDb } from '@/lib/db/client';
import { getAuthSecret } from '@/lib/server/secret';
import { deliverDue } from '@/lib/messaging/outbox';
import { purgeChallenges } from '@/lib/accounts/challenges';
import { purgeExpiredSessions } from '@/lib/auth/sessions';
import { purgeSignalling } from '@/lib/video/calls';
import { purgeExpiredSmtpPasswords } from '@/lib/messaging/service';
import { runScheduledJobs } from '@/lib/jobs';

let started = false;

/**
 * Start-up: refuse to run with a weak secret in production, open the database
 * (which applies pending migrations and takes the data-folder lock in embedded
 * mode), and start the outbox worker and the periodic purges.
 */
export async function boot(): Promise<void> {
  if (started) return;
  started = true;
  try {
    getAuthSecret();
    const cfg = getConfig();
    const db = await getDb();
    console.log(`[konsil] database ready (${cfg.embedded ? `embedded PGlite in ${cfg.dataDir}` : 'PostgreSQL'})`);
    if (process.env.KONSIL_OUTBOX_WORKER !== 'off') {
      let busy = false;
      const tick = async () => {
        if (busy) return;
        busy = true;
        try {
          await deliverDue(db);
        } catch (e) {
          console.error('[outbox] delivery round failed', e instanceof Error ? e.name : 'unknown');
        } finally {
          busy = false;
        }
      };
      setInterval(tick, cfg.outboxIntervalMs).unref();
    }
    setInterval(() => {
      purgeChallenges(db).catch(() => {});
      purgeExpiredSessions(db).catch(() => {});
      purgeExpiredSmtpPasswords(db).catch(() => {});
      purgeSignalling(db).catch(() => {});
    }, 10 * 60_000).unref();
    // The scheduled jobs (lib/jobs.ts): contracts (due downgrades, deletion after the end,
    // monthly invoices) and the call-event purge (KBV Anlage 31b), each claimed by a lease
    // so that several instances never run one twice.
    const scheduled = () => {
      runScheduledJobs(db).catch((e) => console.error('[jobs] failed', e instanceof Error ? e.name : 'unknown'));
    };
    scheduled();
    setInterval(scheduled, 60 * 60_000).unref();
  } catch (e) {
    console.error(`\n[konsil] cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
