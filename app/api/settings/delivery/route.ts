// GET /api/settings/delivery[?id=] — the organisation's Versandprotokoll: status per message, never recipient or text
import { route } from '@/lib/auth/route';
import { listDeliveryLog } from '@/lib/messaging/service';
import { ZDeliveryQuery } from '@/lib/messaging/schemas';

export const GET = route({ access: 'member', input: ZDeliveryQuery }, async ({ db, session, input }) => ({
  messages: await listDeliveryLog(db, session, { id: input.id }),
  canCancel: session.role !== 'member',
}));
