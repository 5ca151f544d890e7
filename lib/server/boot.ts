import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db/client';
import { getAuthSecret } from './secret';
import { deliverDue } from '@/lib/mail/outbox';
import { purgeChallenges } from '@/lib/accounts/challenges';
import { purgeExpiredSessions } from '@/lib/accounts/sessions';
import { purgeSignalling } from '@/lib/video/calls';
import { runContractJobs } from '@/lib/contracts/service';
import { purgeExpiredSmtpPasswords } from '@/lib/messaging/service';
import { purgeCallEvents } from '@/lib/stats/service';

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
    // Raw call events older than three months are folded into monthly statistics (KBV Anlage 31b).
    const purgeStats = () => {
      purgeCallEvents(db).catch((e) => console.error('[stats] purge failed', e instanceof Error ? e.name : 'unknown'));
    };
    purgeStats();
    setInterval(purgeStats, 60 * 60_000).unref();
    // Contracts: due downgrades, deletion after the end, monthly invoices.
    const contractJobs = () => {
      runContractJobs(db).catch((e) => console.error('[contracts] jobs failed', e instanceof Error ? e.name : 'unknown'));
    };
    contractJobs();
    setInterval(contractJobs, 60 * 60_000).unref();
  } catch (e) {
    console.error(`\n[konsil] cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
