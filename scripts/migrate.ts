// npm run db:migrate — applies drizzle/ migrations to DATABASE_URL (PostgreSQL)
// or, without it, to the embedded database (refused while the server runs).
import path from 'node:path';
import { openPglite, openPostgres } from '../lib/db/client';

async function main() {
  const url = process.env.DATABASE_URL;
  const { close } = url
    ? await openPostgres(url, { migrate: true, max: 1 })
    : await openPglite(path.resolve(process.env.KONSIL_DATA_DIR ?? './data', 'db'), { migrate: true });
  await close();
  console.log('migrations applied');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
