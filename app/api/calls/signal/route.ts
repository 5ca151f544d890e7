// POST /api/calls/signal — relay one sealed signalling message to the other side.
import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { MAX_SIGNAL_BYTES, participantByToken, postSignal, tokenOf } from '@/lib/video/calls';

const ZSignal = z.object({ payload: z.string().min(1).max(MAX_SIGNAL_BYTES).regex(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'bad_format') });

export const POST = route({ access: 'public', input: ZSignal }, async ({ db, req, input }) => {
  const p = await participantByToken(db, tokenOf(req));
  await postSignal(db, p, input.payload);
  return { ok: true };
});
