// POST /api/settings/delivery/:id/cancel — withdraw a message that has not gone out; its contents are erased (admins)
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { cancelDelivery } from '@/lib/messaging/service';
import { AppError } from '@/lib/errors';

const ZId = z.string().uuid();

export const POST = route({ access: 'admin' }, async ({ db, session, params }) => {
  const id = ZId.safeParse(params.id);
  if (!id.success) throw new AppError('not_found');
  await cancelDelivery(db, session, id.data);
  return { ok: true };
});
