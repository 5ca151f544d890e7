// POST /api/session/logout — end this session on the server and clear the cookie
import { route } from '@/lib/auth/route';
import { signOut } from '@/lib/auth/auth';
import { deleteSession } from '@/lib/accounts/sessions';

export const POST = route({ access: 'public' }, async ({ db, session }) => {
  if (session) await deleteSession(db, session.sessionId);
  await signOut({ redirect: false });
  return { ok: true };
});
