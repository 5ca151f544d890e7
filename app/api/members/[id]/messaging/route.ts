// POST /api/members/:id/messaging — an admin allows a member to have Konsil send invitations and reminders to patients (or not)
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { setMayMessagePatients } from '@/lib/members/service';

export const POST = route({ access: 'admin', input: z.object({ allowed: z.boolean() }) }, async ({ db, session, params, input }) => {
  await setMayMessagePatients(db, session, idParam(params), input.allowed);
  return { ok: true };
});
