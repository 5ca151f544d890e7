// POST /api/members/:id/remove — remove a member: no login, no sessions, no sealed orgKey; the codes of
// appointments still to come, which the member could read, are marked for new ones from an admin's browser.
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { removeMember } from '@/lib/members/service';
import { markCodesStale } from '@/lib/appointments/rekey';

export const POST = route({ access: 'admin' }, async ({ db, session, params }) => {
  let staleAppointments = 0;
  await removeMember(db, session, idParam(params), async (tx) => {
    staleAppointments = await markCodesStale(tx, session.orgId);
  });
  return { ok: true, staleAppointments };
});
