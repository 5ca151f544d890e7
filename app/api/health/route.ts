// GET /api/health — liveness and database reachability
import { sql } from 'drizzle-orm';
import { route } from '@/lib/auth/route';

export const GET = route({ access: 'public' }, async ({ db }) => {
  await db.execute(sql`select 1`);
  return { ok: true };
});
