// POST /api/conferences/:id/enter — the host or an invited member enters the room; answers a conference token.
import { route } from '@/lib/auth/route';
import { enterAsMember } from '@/lib/conferences/service';
import { conferenceIdParam } from '@/lib/conferences/schemas';

export const POST = route({ access: 'member' }, ({ db, session, params }) => enterAsMember(db, session, conferenceIdParam(params)));
