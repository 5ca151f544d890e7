// POST /api/calls/leave — hang up or leave the waiting room; the other side is told.
import { route } from '@/lib/auth/route';
import { leave, participantByToken, tokenOf } from '@/lib/video/calls';

export const POST = route({ access: 'public' }, async ({ db, req }) => {
  const p = await participantByToken(db, tokenOf(req));
  await leave(db, p);
  return { ok: true };
});
