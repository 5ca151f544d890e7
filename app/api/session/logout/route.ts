// POST /api/session/logout — end this session on the server and clear the cookie
import { currentSession, route } from '@/lib/auth/route';
import { signOut } from '@/lib/auth/auth';
import { deleteSession } from '@/lib/auth/sessions';

// Public: logging out must work with an expired or revoked session too.
export const POST = route({ access: 'public' }, async ({ db }) => {
  const session = await currentSession(db).catch(() => null);
  if (session) await deleteSession(db, session.sessionId);
  await signOut({ redirect: false });
  return { ok: true };
});
