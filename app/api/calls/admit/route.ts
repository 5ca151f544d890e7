// POST /api/calls/admit — "Hereinbitten": the host admits the waiting patient.
import { route } from '@/lib/auth/route';
import { admit } from '@/lib/video/calls';
import { ZAdmit } from '@/lib/video/schemas';

export const POST = route({ access: 'participant', input: ZAdmit }, async ({ db, participant, input }) => {
  await admit(db, participant, input.participantId);
  return { ok: true };
});
