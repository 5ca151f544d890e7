// DELETE /api/members/invitations/:id — withdraw an unused invitation
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { revokeInvitation } from '@/lib/members/service';

export const DELETE = route({ access: 'admin' }, async ({ db, session, params }) => {
  await revokeInvitation(db, session, idParam(params));
  return { ok: true };
});
