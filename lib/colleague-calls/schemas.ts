import { z } from 'zod';
import { AppError } from '@/lib/core/errors';

/** Start a call to a member of one's own organisation. */
export const ZStartColleagueCall = z.object({ calleeId: z.string().uuid() });
export type TStartColleagueCall = z.infer<typeof ZStartColleagueCall>;

/** One sealed signalling message (an envelope under the call's key); the server relays it unread. */
export const ZColleagueSignal = z.object({ payload: z.string().min(1).max(64_000) });
export type TColleagueSignal = z.infer<typeof ZColleagueSignal>;

export const ZColleagueCallId = z.string().uuid();

/** The call id from the route; a malformed one is as unknown as another organisation's. */
export function callIdParam(params: Record<string, string>): string {
  const r = ZColleagueCallId.safeParse(params.id);
  if (!r.success) throw new AppError('not_found');
  return r.data;
}
