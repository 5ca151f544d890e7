// POST /api/colleague-calls/:id/accept — the callee takes the call.
import { route } from '@/lib/auth/route';
import { acceptColleagueCall } from '@/lib/colleague-calls/service';
import { callIdParam } from '@/lib/colleague-calls/schemas';

export const POST = route({ access: 'member' }, ({ db, session, params }) => acceptColleagueCall(db, session, callIdParam(params)));
