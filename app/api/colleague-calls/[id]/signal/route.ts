// POST /api/colleague-calls/:id/signal — relay one sealed signalling message to the other member of the call.
import { route } from '@/lib/auth/route';
import { postColleagueSignal } from '@/lib/colleague-calls/service';
import { callIdParam, ZColleagueSignal } from '@/lib/colleague-calls/schemas';

export const POST = route({ access: 'member', input: ZColleagueSignal }, async ({ db, session, params, input }) => {
  await postColleagueSignal(db, session, callIdParam(params), input.payload);
  return { ok: true };
});
