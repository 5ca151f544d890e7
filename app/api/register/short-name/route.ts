// GET /api/register/short-name?name=… — live check whether an organisation short name is free
import { route } from '@/lib/auth/route';
import { isOrgShortNameAvailable } from '@/lib/accounts/service';
import { ZShortNameQuery } from '@/lib/accounts/schemas';
import { consume, POLICIES } from '@/lib/server/rate-limit';

export const GET = route({ access: 'public', input: ZShortNameQuery }, async ({ db, input, clientIp }) => {
  await consume(db, `preauth:ip:${clientIp}`, POLICIES.preAuthClient);
  return isOrgShortNameAvailable(db, input.name);
});
