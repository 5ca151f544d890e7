// POST /api/session/prelogin — KDF parameters, salt and a fresh challenge (same shape for unknown accounts)
import { route } from '@/lib/auth/route';
import { ZAccountRef } from '@/lib/accounts/schemas';
import { prelogin } from '@/lib/accounts/service';

export const POST = route({ access: 'public', input: ZAccountRef }, ({ db, input, clientIp }) => prelogin(db, input, clientIp));
