// POST /api/session/login — check authKey and the device's signature, then open an Auth.js session
import { route } from '@/lib/auth/route';
import { signIn } from '@/lib/auth/auth';
import { ZLoginRequest } from '@/lib/accounts/schemas';
import { login } from '@/lib/accounts/service';
import { AppError } from '@/lib/core/errors';

export const POST = route({ access: 'public', input: ZLoginRequest }, async ({ db, input, clientIp }) => {
  const { ticket } = await login(db, input, clientIp);
  try {
    await signIn('ticket', { ticket, redirect: false });
  } catch {
    throw new AppError('login_failed');
  }
  return { ok: true };
});
