// POST /api/recover/params — master-password KDF parameters and salt (same shape for unknown accounts)
import { route } from '@/lib/auth/route';
import { ZAccountRef } from '@/lib/accounts/schemas';
import { recoverParams } from '@/lib/accounts/service';

export const POST = route({ access: 'public', input: ZAccountRef }, ({ db, input, clientIp }) => recoverParams(db, input, clientIp));
