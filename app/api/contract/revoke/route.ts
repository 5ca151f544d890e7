// POST /api/contract/revoke — "Kündigung widerrufen" until the contract's last day (main user only).
import { route } from '@/lib/auth/route';
import { revokeCancellation } from '@/lib/contracts/service';

export const POST = route({ access: 'member' }, async ({ db, session }) => {
  await revokeCancellation(db, session);
  return { ok: true };
});
