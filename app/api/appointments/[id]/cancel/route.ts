// POST /api/appointments/:id/cancel — cancels, withdraws pending reminders, tells anyone waiting.
import { route } from '@/lib/auth/route';
import { cancelAppointment } from '@/lib/appointments/service';
import { idParam } from '@/lib/auth/params';
import { cancelPatientMessages } from '@/lib/mail/patient';

export const POST = route({ access: 'member' }, async ({ db, session, params }) => {
  const appointmentId = idParam(params);
  await cancelAppointment(db, session, appointmentId, (tx) => cancelPatientMessages(tx, { orgId: session.orgId, appointmentId }));
  return { ok: true };
});
