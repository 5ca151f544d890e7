// GET/POST /api/appointments — the organisation's appointments; patient fields arrive encrypted.
import { route } from '@/lib/auth/route';
import { ZAppointmentCreate, ZRange } from '@/lib/appointments/schemas';
import { createAppointment, listAppointments } from '@/lib/appointments/service';

export const GET = route({ access: 'member', input: ZRange }, async ({ db, session, input }) => ({
  appointments: await listAppointments(db, session, input),
}));

export const POST = route({ access: 'member', input: ZAppointmentCreate }, async ({ db, session, input }) => createAppointment(db, session, input));
