// POST /api/members/:id/messaging — an admin allows a member to have Konsil send invitations and reminders to patients (or not)
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { setMayMessagePatients } from '@/lib/members/service';
import { ZMessagingPermission } from '@/lib/members/schemas';

export const POST = route({ access: 'admin', input: ZMessagingPermission }, async ({ db, session, params, input }) => {
  await setMayMessagePatients(db, session, idParam(params), input.allowed);
  return { ok: true };
});
