// PUT /api/mailboxes/:id/access — who may use a mailbox, with the key grants (and a new key version when someone loses access).
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { ZMailboxAccess } from '@/lib/mailboxes/schemas';
import { setMailboxAccess } from '@/lib/mailboxes/service';

export const PUT = route({ access: 'admin', input: ZMailboxAccess }, async ({ db, session, params, input }) => {
  await setMailboxAccess(db, session, idParam(params), input);
  return { ok: true };
});
