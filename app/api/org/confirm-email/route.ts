// POST /api/org/confirm-email — the link from the welcome mail confirms the organisation's address (token in the body, never the URL)
import { route } from '@/lib/auth/route';
import { confirmOrgEmail } from '@/lib/accounts/service';
import { ZConfirmEmail } from '@/lib/accounts/schemas';
import { consume, POLICIES } from '@/lib/server/rate-limit';

export const POST = route({ access: 'public', input: ZConfirmEmail }, async ({ db, input, clientIp }) => {
  await consume(db, `preauth:ip:${clientIp}`, POLICIES.preAuthClient);
  return confirmOrgEmail(db, input.token);
});
