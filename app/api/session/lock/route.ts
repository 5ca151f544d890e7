// POST /api/session/lock — the tab dropped its keys (idle lock, reload): the session keeps no powers until unlocked
import { route } from '@/lib/auth/route';
import { lockSession } from '@/lib/auth/sessions';

export const POST = route({ access: 'member', whileLocked: true }, async ({ db, session }) => {
  await lockSession(db, session.sessionId);
  return { locked: true };
});
