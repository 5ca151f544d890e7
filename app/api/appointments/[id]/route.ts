// GET/PATCH /api/appointments/:id
import { route } from '@/lib/auth/route';
import { ZAppointmentFields } from '@/lib/appointments/schemas';
import { getAppointment, updateAppointment } from '@/lib/appointments/service';
import { idParam as id } from '@/lib/auth/params';

export const GET = route({ access: 'member' }, async ({ db, session, params }) => ({ appointment: await getAppointment(db, session, id(params)) }));

export const PATCH = route({ access: 'member', input: ZAppointmentFields }, async ({ db, session, params, input }) => {
  return updateAppointment(db, session, id(params), input);
});
