// npm run jobs [-- --at 2027-04-01T08:00:00+02:00] — runs the scheduled jobs once:
// due downgrades, deletion of organisations whose contract has ended, last
// month's invoices, and the call-event purge. The server runs the same jobs
// every hour (lib/jobs.ts); --at acts as of another time (the one clock, lib/clock.ts).
// On the embedded database it is refused while the server holds it.
import path from 'node:path';
import { openPglite, openPostgres } from '../lib/db/client';
import { setClock, now } from '../lib/core/clock';
import { runScheduledJobs } from '../lib/jobs';

async function main() {
  const i = process.argv.indexOf('--at');
  if (i >= 0) {
    const at = new Date(process.argv[i + 1] ?? '');
    if (Number.isNaN(at.getTime())) throw new Error('--at needs a date and time, e.g. 2027-04-01T08:00:00+02:00');
    setClock({ fixed: at });
  }
  const url = process.env.DATABASE_URL;
  const { db, close } = url
    ? await openPostgres(url, { migrate: true, max: 2 })
    : await openPglite(path.resolve(process.env.KONSIL_DATA_DIR ?? './data', 'db'), { migrate: true });
  try {
    // The same jobs and leases as the server's hourly run: a job another instance is running is skipped.
    console.log(JSON.stringify(await runScheduledJobs(db, now())));
  } finally {
    await close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
