// POST /api/calls/leave — hang up or leave the waiting room; the other side is told.
import { route } from '@/lib/auth/route';
import { leave } from '@/lib/video/calls';

export const POST = route({ access: 'participant' }, async ({ db, participant }) => {
  await leave(db, participant);
  return { ok: true };
});
