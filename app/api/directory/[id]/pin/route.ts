// PUT /api/directory/:id/pin — store the partner's keys in the organisation's partner list (sealed and signed in the browser).
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { ZPartnerPin } from '@/lib/directory/schemas';
import { putPartnerPin } from '@/lib/directory/service';

export const PUT = route({ access: 'member', input: ZPartnerPin }, async ({ db, session, params, input }) => {
  await putPartnerPin(db, session, idParam(params), input);
  return { ok: true };
});
