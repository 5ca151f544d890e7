// GET /api/register/short-name?name=… — live check whether an organisation short name is free
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { isOrgShortNameAvailable } from '@/lib/accounts/service';
import { consume, POLICIES } from '@/lib/server/rate-limit';

export const GET = route({ access: 'public', input: z.object({ name: z.string().max(100) }) }, async ({ db, input, clientIp }) => {
  await consume(db, `preauth:ip:${clientIp}`, POLICIES.preAuthClient);
  return isOrgShortNameAvailable(db, input.name);
});
