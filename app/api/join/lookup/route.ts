// POST /api/join/lookup — what a code holder may know: the practice, the time, whether the room is open.
// The body carries a value derived from the code, never the code. A code is a
// patient's or doctor's for an appointment, or a guest's for a conference.
import { route } from '@/lib/auth/route';
import { ZLookupInput } from '@/lib/appointments/schemas';
import { AppError } from '@/lib/core/errors';
import { lookupCode } from '@/lib/video/calls';
import { lookupConferenceCode } from '@/lib/conferences/room';

export const POST = route({ access: 'public', input: ZLookupInput }, async ({ db, clientIp, input }) => {
  try {
    const { orgId: _org, ...info } = await lookupCode(db, clientIp, input.lookup);
    return { kind: 'appointment' as const, ...info };
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'code_unknown') throw e;
    const guest = await lookupConferenceCode(db, clientIp, input.lookup);
    if (!guest) throw e;
    return guest;
  }
});
