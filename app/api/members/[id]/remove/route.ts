// POST /api/members/:id/remove — remove a member: no login, no sessions, no sealed orgKey
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { removeMember } from '@/lib/members/service';
import { AppError } from '@/lib/errors';

export const POST = route({ access: 'admin' }, async ({ db, session, params }) => {
  const id = z.string().uuid().safeParse(params.id);
  if (!id.success) throw new AppError('not_found');
  await removeMember(db, session, id.data);
  return { ok: true };
});
