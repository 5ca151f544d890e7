// POST /api/members/:id/remove — remove a member: no login, no sessions, no sealed orgKey
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { removeMember } from '@/lib/members/service';

export const POST = route({ access: 'admin' }, async ({ db, session, params }) => {
  await removeMember(db, session, idParam(params));
  return { ok: true };
});
