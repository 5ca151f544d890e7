// POST /api/session/unlock — the password (its authKey) opens a locked session again, on the login budget
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { ZKey32 } from '@/lib/accounts/schemas';
import { unlockSession } from '@/lib/accounts/service';

export const POST = route({ access: 'member', whileLocked: true, input: z.object({ authKey: ZKey32 }) }, async ({ db, session, input, clientIp }) => {
  await unlockSession(db, session, input.authKey, clientIp);
  return { locked: false };
});
