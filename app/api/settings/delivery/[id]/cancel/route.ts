// POST /api/settings/delivery/:id/cancel — withdraw a message that has not gone out; its contents are erased (admins)
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { cancelDelivery } from '@/lib/messaging/service';

export const POST = route({ access: 'admin' }, async ({ db, session, params }) => {
  await cancelDelivery(db, session, idParam(params));
  return { ok: true };
});
