// POST /api/calls/signal — relay one sealed signalling message to the other side.
import { route } from '@/lib/auth/route';
import { postSignal } from '@/lib/video/calls';
import { ZSignal } from '@/lib/video/schemas';

export const POST = route({ access: 'participant', input: ZSignal }, async ({ db, participant, input }) => {
  await postSignal(db, participant, input.payload);
  return { ok: true };
});
