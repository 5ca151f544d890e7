// POST /api/calls/admit — "Hereinbitten": the host admits the waiting patient.
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { admit, participantByToken, tokenOf } from '@/lib/video/calls';

export const POST = route({ access: 'public', input: z.object({ participantId: z.string().uuid() }) }, async ({ db, req, input }) => {
  const p = await participantByToken(db, tokenOf(req));
  await admit(db, p, input.participantId);
  return { ok: true };
});
