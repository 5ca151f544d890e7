// POST /api/appointments/:id/invite — count a manual invitation, or have Konsil send one (plan plus).
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { inviteForAppointment } from '@/lib/appointments/invite';
import { ZInvite } from '@/lib/appointments/schemas';

export const POST = route({ access: 'member', input: ZInvite }, async ({ db, session, params, input }) => inviteForAppointment(db, session, idParam(params), input));
