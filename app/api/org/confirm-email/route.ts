// POST /api/org/confirm-email — the link from the welcome mail confirms the organisation's address (token in the body, never the URL)
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { confirmOrgEmail } from '@/lib/accounts/service';
import { consume, POLICIES } from '@/lib/server/rate-limit';

export const POST = route({ access: 'public', input: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'bad_format') }) }, async ({ db, input, clientIp }) => {
  await consume(db, `preauth:ip:${clientIp}`, POLICIES.preAuthClient);
  return confirmOrgEmail(db, input.token);
});
