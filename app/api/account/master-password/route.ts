// POST /api/account/master-password — replace the master password (new recoveryAuthKey, userKey re-wrapped)
import { route } from '@/lib/auth/route';
import { ZChangeMasterPassword } from '@/lib/accounts/schemas';
import { changeMasterPassword } from '@/lib/accounts/service';

export const POST = route({ access: 'member', input: ZChangeMasterPassword }, ({ db, session, input, clientIp }) =>
  changeMasterPassword(db, session, input, clientIp),
);
