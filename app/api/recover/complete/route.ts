// POST /api/recover/complete — store the new authKey and userKey re-wrapped under the new password
import { route } from '@/lib/auth/route';
import { ZRecoverComplete } from '@/lib/accounts/schemas';
import { recoverComplete } from '@/lib/accounts/service';

export const POST = route({ access: 'public', input: ZRecoverComplete }, ({ db, input, clientIp }) =>
  recoverComplete(db, input, clientIp),
);
