// POST /api/recover/verify — check recoveryAuthKey and hand out userKey wrapped under the master key
import { route } from '@/lib/auth/route';
import { ZRecoverVerify } from '@/lib/accounts/schemas';
import { recoverVerify } from '@/lib/accounts/service';

export const POST = route({ access: 'public', input: ZRecoverVerify }, ({ db, input, clientIp }) => recoverVerify(db, input, clientIp));
