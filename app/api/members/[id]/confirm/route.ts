// POST /api/members/:id/confirm — activate a pending member with orgKey sealed to them by the admin's browser
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { confirmMember } from '@/lib/members/service';
import { ZSealed } from '@/lib/accounts/schemas';
import { AppError } from '@/lib/errors';

export const POST = route({ access: 'admin', input: z.object({ sealedOrgKey: ZSealed }) }, async ({ db, session, params, input }) => {
  const id = z.string().uuid().safeParse(params.id);
  if (!id.success) throw new AppError('not_found');
  await confirmMember(db, session, id.data, input.sealedOrgKey);
  return { ok: true };
});
