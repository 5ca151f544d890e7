// PUT /api/mailboxes/:id/notice — where the notice of a new study in this mailbox goes (empty: the organisation's address).
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { ZMailboxNotice } from '@/lib/mailboxes/schemas';
import { setMailboxNotice } from '@/lib/mailboxes/service';

export const PUT = route({ access: 'admin', input: ZMailboxNotice }, async ({ db, session, params, input }) => {
  await setMailboxNotice(db, session, idParam(params), input);
  return { ok: true };
});
