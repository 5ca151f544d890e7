// POST /api/members/:id/confirm — activate a pending member with orgKey sealed to them by the admin's browser
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { confirmMember } from '@/lib/members/service';
import { ZSealed } from '@/lib/accounts/schemas';

export const POST = route({ access: 'admin', input: z.object({ sealedOrgKey: ZSealed }) }, async ({ db, session, params, input }) => {
  await confirmMember(db, session, idParam(params), input.sealedOrgKey);
  return { ok: true };
});
