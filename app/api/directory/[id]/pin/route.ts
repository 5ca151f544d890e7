// GET/PUT /api/directory/:id/pin — this organisation's pin of a partner (also one not listed, e.g. a sender); store the partner's keys in the organisation's partner list (sealed and signed in the browser).
import { route } from '@/lib/auth/route';
import { idParam } from '@/lib/auth/params';
import { ZPartnerPin } from '@/lib/directory/schemas';
import { partnerPin, putPartnerPin } from '@/lib/directory/service';

export const PUT = route({ access: 'member', input: ZPartnerPin }, async ({ db, session, params, input }) => {
  await putPartnerPin(db, session, idParam(params), input);
  return { ok: true };
});

export const GET = route({ access: 'member' }, async ({ db, session, params }) => ({ pin: await partnerPin(db, session, idParam(params)) }));
