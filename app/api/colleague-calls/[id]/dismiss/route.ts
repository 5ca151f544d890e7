// POST /api/colleague-calls/:id/dismiss — the callee marks a missed call as done; it is no longer listed.
import { route } from '@/lib/auth/route';
import { dismissMissedCall } from '@/lib/colleague-calls/service';
import { callIdParam } from '@/lib/colleague-calls/schemas';

export const POST = route({ access: 'member' }, async ({ db, session, params }) => {
  await dismissMissedCall(db, session, callIdParam(params));
  return { ok: true };
});
