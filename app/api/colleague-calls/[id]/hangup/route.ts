// POST /api/colleague-calls/:id/hangup — either member ends the call (or cancels it while it rings).
import { route } from '@/lib/auth/route';
import { hangUpColleagueCall } from '@/lib/colleague-calls/service';
import { callIdParam } from '@/lib/colleague-calls/schemas';

export const POST = route({ access: 'member' }, ({ db, session, params }) => hangUpColleagueCall(db, session, callIdParam(params)));
