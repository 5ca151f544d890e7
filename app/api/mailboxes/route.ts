// GET/POST /api/mailboxes — the mailboxes this member may use (admins: all), with their keys; admins create one.
import { route } from '@/lib/auth/route';
import { ZMailboxCreate } from '@/lib/mailboxes/schemas';
import { createMailbox, listMailboxes } from '@/lib/mailboxes/service';

export const GET = route({ access: 'member' }, async ({ db, session }) => ({ mailboxes: await listMailboxes(db, session) }));

export const POST = route({ access: 'admin', input: ZMailboxCreate }, async ({ db, session, input }) => {
  await createMailbox(db, session, input);
  return { ok: true };
});
