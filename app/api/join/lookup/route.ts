// POST /api/join/lookup — what a code holder may know: the practice, the time, whether the room is open.
// The body carries a value derived from the code, never the code.
import { route } from '@/lib/auth/route';
import { ZLookupInput } from '@/lib/appointments/schemas';
import { lookupCode } from '@/lib/video/calls';

export const POST = route({ access: 'public', input: ZLookupInput }, async ({ db, clientIp, input }) => {
  const { orgId: _org, ...info } = await lookupCode(db, clientIp, input.lookup);
  return info;
});
