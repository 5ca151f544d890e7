// GET /api/colleague-calls/:id — the call for one of its two members: state, side, the other member's certified keys, ICE servers.
import { route } from '@/lib/auth/route';
import { getColleagueCall } from '@/lib/colleague-calls/service';
import { callIdParam } from '@/lib/colleague-calls/schemas';

export const GET = route({ access: 'member' }, ({ db, session, params }) => getColleagueCall(db, session, callIdParam(params)));
