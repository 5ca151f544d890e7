// POST /api/devices/:id/(approve|reject|revoke) — decide on a device from an approved device
import { route } from '@/lib/auth/route';
import { decideDevice } from '@/lib/devices/service';
import { ZDeviceDecision } from '@/lib/devices/schemas';
import { AppError } from '@/lib/core/errors';

export const POST = route({ access: 'member' }, async ({ db, session, params }) => {
  const p = ZDeviceDecision.safeParse(params);
  if (!p.success) throw new AppError('not_found');
  return decideDevice(db, session, p.data.id, p.data.action);
});
