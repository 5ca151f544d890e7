// POST /api/studies/:id/receipts — "zugestellt" / "geöffnet", signed in a recipient member's browser.
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { ZReceipt } from '@/lib/studies/schemas';
import { addReceipt } from '@/lib/studies/service';

export const POST = route({ access: 'member', input: ZReceipt }, async ({ db, session, params, input }) => {
  await addReceipt(db, session, idParam(params), input);
  return { ok: true };
});
