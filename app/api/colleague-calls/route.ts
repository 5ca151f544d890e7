// POST /api/colleague-calls — call a member of one's own organisation: it rings in their open tabs.
import { route } from '@/lib/auth/route';
import { startColleagueCall } from '@/lib/colleague-calls/service';
import { ZStartColleagueCall } from '@/lib/colleague-calls/schemas';

export const POST = route({ access: 'member', input: ZStartColleagueCall }, ({ db, session, input }) => startColleagueCall(db, session, input.calleeId));
