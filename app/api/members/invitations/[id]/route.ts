// DELETE /api/members/invitations/:id — withdraw an unused invitation
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { revokeInvitation } from '@/lib/members/service';
import { AppError } from '@/lib/errors';

export const DELETE = route({ access: 'admin' }, async ({ db, session, params }) => {
  const id = z.string().uuid().safeParse(params.id);
  if (!id.success) throw new AppError('not_found');
  await revokeInvitation(db, session, id.data);
  return { ok: true };
});
