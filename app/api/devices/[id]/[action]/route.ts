// POST /api/devices/:id/(approve|reject|revoke) — decide on a device from an approved device
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { decideDevice } from '@/lib/devices/service';
import { AppError } from '@/lib/errors';

const ZParams = z.object({ id: z.string().uuid(), action: z.enum(['approve', 'reject', 'revoke']) });

export const POST = route({ access: 'member' }, async ({ db, session, params }) => {
  const p = ZParams.safeParse(params);
  if (!p.success) throw new AppError('not_found');
  return decideDevice(db, session, p.data.id, p.data.action);
});
