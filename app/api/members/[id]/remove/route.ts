// POST /api/members/:id/remove — remove a member: no login, no sessions, no sealed orgKey; the codes of
// appointments still to come, which the member could read, are marked for new ones from an admin's browser,
// and so are the keys of the mailboxes they could open.
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { removeMember } from '@/lib/members/service';
import { markCodesStale } from '@/lib/appointments/rekey';
import { onMemberRemoved } from '@/lib/mailboxes/service';

export const POST = route({ access: 'admin' }, async ({ db, session, params }) => {
  const memberId = idParam(params);
  let staleAppointments = 0;
  let staleMailboxes = 0;
  await removeMember(db, session, memberId, async (tx) => {
    staleAppointments = await markCodesStale(tx, session.orgId);
    staleMailboxes = await onMemberRemoved(tx, session.orgId, memberId);
  });
  return { ok: true, staleAppointments, staleMailboxes };
});
