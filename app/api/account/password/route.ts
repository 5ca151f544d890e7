// POST /api/account/password — replace the password (new authKey, userKey re-wrapped in the browser)
import { route } from '@/lib/auth/route';
import { ZChangePassword } from '@/lib/accounts/schemas';
import { changePassword } from '@/lib/accounts/service';

export const POST = route({ access: 'member', input: ZChangePassword }, ({ db, session, input, clientIp }) =>
  changePassword(db, session, input, clientIp),
);
