// POST /api/members/:id/confirm — activate a pending member with orgKey sealed to them and signed by the admin's browser, their keys certified
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { confirmMember } from '@/lib/members/service';
import { ZMemberConfirm } from '@/lib/accounts/schemas';

export const POST = route({ access: 'admin', input: ZMemberConfirm }, async ({ db, session, params, input }) => {
  await confirmMember(db, session, idParam(params), input);
  return { ok: true };
});
