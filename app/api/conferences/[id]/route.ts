// GET /api/conferences/:id — one conference for its host and invited members (the record stays sealed).
import { route } from '@/lib/auth/route';
import { getConference } from '@/lib/conferences/service';
import { conferenceIdParam } from '@/lib/conferences/schemas';

export const GET = route({ access: 'member' }, ({ db, session, params }) => getConference(db, session, conferenceIdParam(params)));
