// POST /api/appointments/:id/cancel — cancels, withdraws pending reminders, tells anyone waiting and every patient Konsil had messaged.
import { route } from '@/lib/auth/route';
import { cancelAppointment } from '@/lib/appointments/service';
import { idParam } from '@/lib/auth/params';
import { cancelPatientMessages } from '@/lib/messaging/patient';
import { noticeCancelledAppointment, type FollowUp } from '@/lib/messaging/patient-contacts';

export const POST = route({ access: 'member' }, async ({ db, session, params }) => {
  const appointmentId = idParam(params);
  let notice: FollowUp = { queued: 0, notQueued: 0 };
  await cancelAppointment(db, session, appointmentId, async (tx) => {
    await cancelPatientMessages(tx, { orgId: session.orgId, appointmentId });
    notice = await noticeCancelledAppointment(tx, { orgId: session.orgId, appointmentId });
  });
  return { ok: true, patientsNotified: notice.queued, patientsNotNotified: notice.notQueued };
});
