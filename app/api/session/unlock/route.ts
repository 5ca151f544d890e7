// POST /api/session/unlock — the password (its authKey) opens a locked session again, on the login budget
import { route } from '@/lib/auth/route';
import { ZUnlock } from '@/lib/accounts/schemas';
import { unlockSession } from '@/lib/accounts/service';

export const POST = route({ access: 'member', whileLocked: true, input: ZUnlock }, async ({ db, session, input, clientIp }) => {
  await unlockSession(db, session, input.authKey, clientIp);
  return { locked: false };
});
