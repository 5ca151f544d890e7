// POST /api/colleague-calls/:id/decline — the callee declines; it is listed as missed.
import { route } from '@/lib/auth/route';
import { declineColleagueCall } from '@/lib/colleague-calls/service';
import { callIdParam } from '@/lib/colleague-calls/schemas';

export const POST = route({ access: 'member' }, ({ db, session, params }) => declineColleagueCall(db, session, callIdParam(params)));
